from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("checkout/", views.CheckoutView.as_view(), name="checkout"),
    path("callback/", views.callback, name="callback"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<str:number>/", views.order_detail, name="order"),
    path("orders/<str:number>/pay/", views.order_pay, name="pay"),
    path("sandbox/<str:reference>/", views.SandboxCheckoutView.as_view(), name="sandbox"),
]
