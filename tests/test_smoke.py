def test_home_page_renders(client, event):
    response = client.get("/")
    assert response.status_code == 200
    assert event.title in response.content.decode()
