// Starts Swagger UI on this API's own openapi.json. A file rather than an inline script,
// so that the page's Content-Security-Policy can keep script-src to 'self'.
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // No calls to the public validator service (the CSP would refuse them anyway).
    validatorUrl: null,
  });
});
