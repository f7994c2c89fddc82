// Starts Swagger UI on the API's docs page. A file of its own: the site's
// Content-Security-Policy runs no inline script.
"use strict";

(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // The default would send the schema to validator.swagger.io for a badge.
    validatorUrl: null,
  });
})();
