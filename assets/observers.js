/* Saylau, Observers page: write the flags filter and sort into the query string (replaceState through
 * window.saylau.setQuery), so a filtered list is a shareable link; the table itself is rendered by the
 * server. The default sort ("rule") and "all" filters leave the query clean. */
(function () {
  "use strict";
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    observers: {
      setQuery: function (rule, region, sort) {
        if (window.saylau && window.saylau.setQuery) {
          window.saylau.setQuery({rule: rule && rule !== "all" ? rule : null,
                                  region: region && region !== "all" ? region : null,
                                  sort: sort && sort !== "rule" ? sort : null});
        }
        return "";
      }
    }
  });
})();
