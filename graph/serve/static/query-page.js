// The query page: Yasgui on this server's /sparql, with graph/queries/*.rq in a dropdown.
// Everything comes from this server; Yasqe's "property" and "class" autocompleters are off
// because they ask lov.linkeddata.es.
"use strict";

(function () {
  const endpoint = new URL("sparql", document.baseURI).href;
  const select = document.getElementById("ready-queries");
  const question = document.getElementById("question");
  const notice = document.getElementById("notice");

  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }], keys: [] },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
  });

  // The server cuts results at --max-rows and says so in a header: show it above the table.
  const watched = new WeakSet();
  function watch(tab) {
    const yasqe = tab && tab.getYasqe();
    if (!yasqe || watched.has(yasqe)) return;
    watched.add(yasqe);
    yasqe.on("queryResponse", (editor, response) => {
      const limit = response && response.headers && response.headers.get("X-Result-Max-Rows");
      notice.hidden = !limit;
      notice.textContent = limit ? `Only the first ${limit} rows are shown (the server's --max-rows).` : "";
    });
  }
  watch(yasgui.getTab());
  yasgui.on("query", (instance, tab) => watch(tab));

  function load(query) {
    yasgui.getTab().setQuery(query.query);
    question.textContent = query.question;
  }

  fetch("queries.json")
    .then((response) => response.json())
    .then((queries) => {
      for (const query of queries) {
        const option = document.createElement("option");
        option.value = query.name;
        option.textContent = query.title;
        option.title = query.question;
        select.append(option);
      }
      select.addEventListener("change", () => {
        const query = queries.find((q) => q.name === select.value);
        if (query) load(query);
      });
      if (queries.length > 0) {
        select.value = queries[0].name;
        load(queries[0]);
      }
    })
    .catch((error) => {
      question.textContent = "The ready queries could not be loaded: " + error;
    });
})();
