// Print buttons on ticket pages: the print stylesheet keeps the ticket on one page.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
