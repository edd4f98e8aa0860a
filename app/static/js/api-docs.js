// The API documentation page: the interactive explorer (Swagger UI, vendored) is loaded only
// when asked for; without JavaScript the page's own list of operations is the documentation.
(function () {
  "use strict";
  var start = document.getElementById("api-explorer-start");
  var target = document.getElementById("api-explorer");
  if (!start || !target) {
    return;
  }
  start.hidden = false;
  start.addEventListener("click", function () {
    start.disabled = true;
    var style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = target.dataset.stylesheet;
    document.head.appendChild(style);
    var script = document.createElement("script");
    script.src = target.dataset.script;
    script.onload = function () {
      target.hidden = false;
      window.SwaggerUIBundle({
        url: target.dataset.spec,
        dom_id: "#api-explorer",
        // Offline: no call to the public validator service.
        validatorUrl: null,
        supportedSubmitMethods: ["get", "head"],
        deepLinking: false
      });
      target.focus();
    };
    document.body.appendChild(script);
  });
})();
