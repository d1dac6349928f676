// Renders the node's OpenAPI document with Swagger UI, bundled at build time (no CDN): the page
// loads nothing but this node's own files, as its Content Security Policy requires.
window.ui = SwaggerUIBundle({
  url: "openapi.yaml",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
