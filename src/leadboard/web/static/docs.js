// Starts Swagger UI on /docs. A file, not an inline script: the Content-Security-Policy allows
// scripts from this site only. No validator badge: it would call a server on the internet.
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
