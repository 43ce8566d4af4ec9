// Mirsad's page: one fetch per search, rendered with DOM APIs (never
// innerHTML for data, except the server's snippet, which bleve escapes and
// marks with <mark> only).
(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("search");
  let page = 1;

  function params() {
    const p = new URLSearchParams();
    for (const el of form.elements) {
      if (el.name && el.value) p.set(el.name, el.value);
    }
    p.set("page", page);
    p.set("size", 10);
    return p;
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function safeSnippet(html) {
    // Keep only <mark>; everything else from the server is already escaped text.
    const tpl = document.createElement("template");
    tpl.innerHTML = html;
    const out = document.createDocumentFragment();
    for (const n of tpl.content.childNodes) {
      if (n.nodeType === 3) out.append(n.textContent);
      else if (n.nodeName === "MARK") out.append(el("mark", {}, n.textContent));
      else out.append(n.textContent);
    }
    return out;
  }

  function renderFacets(f) {
    const box = $("facets");
    box.replaceChildren();
    const group = (title, items, key, label) => {
      if (!items || !items.length) return;
      box.append(el("h2", {}, title));
      const ul = el("ul");
      for (const it of items) {
        const li = el("li");
        const active = form.elements[key].value === it.value;
        const b = el("button", { type: "button", class: "facet", "aria-pressed": active, "data-facet": key, "data-value": it.value }, `${label ? label(it.value) : it.value} (${it.count})`);
        b.addEventListener("click", () => { form.elements[key].value = active ? "" : it.value; page = 1; run(); });
        li.append(b); ul.append(li);
      }
      box.append(ul);
    };
    group("Language", f.lang, "lang", (v) => ({ ar: "العربية", en: "English" })[v] || v);
    group("Sources", f.sources, "source");
    if (f.published_by_day && f.published_by_day.length) {
      box.append(el("h2", {}, "Per day"));
      const max = Math.max(...f.published_by_day.map((d) => d.count));
      const h = el("div", { class: "hist", role: "img", "aria-label": "results per day" });
      for (const d of f.published_by_day) {
        const s = el("span", { title: `${d.value}: ${d.count}` });
        s.style.height = `${Math.max(4, (100 * d.count) / max)}%`;
        h.append(s);
      }
      box.append(h);
    }
  }

  function render(res) {
    $("status").textContent = `${res.total} results · ${res.took_ms} ms`;
    const ol = $("results");
    ol.replaceChildren();
    for (const h of res.hits) {
      const dir = h.lang === "ar" ? "rtl" : "ltr";
      const li = el("li", { lang: h.lang, dir: dir, "data-id": h.id });
      const h3 = el("h3");
      h3.append(el("a", { href: h.url, dir: "auto" }, h.title));
      const meta = el("div", { class: "meta", dir: "ltr" }, `${h.source} · ${new Date(h.published).toISOString().slice(0, 10)} · ${h.lang}`);
      const p = el("p", { class: "snippet", dir: dir });
      p.append(safeSnippet(h.snippet));
      li.append(h3, meta, p);
      ol.append(li);
    }
    const pager = $("pager");
    pager.replaceChildren();
    if (page > 1) {
      const b = el("button", { type: "button" }, "← Previous");
      b.addEventListener("click", () => { page--; run(); });
      pager.append(b);
    }
    if (page * 10 < res.total) {
      const b = el("button", { type: "button" }, "Next →");
      b.addEventListener("click", () => { page++; run(); });
      pager.append(b);
    }
    renderFacets(res.facets);
    // Tells tests (and assistive tools) which query the list now shows.
    ol.dataset.q = form.elements.q.value;
    ol.dataset.page = page;
  }

  async function run() {
    const p = params();
    history.replaceState(null, "", "?" + p.toString());
    $("status").textContent = "Searching…";
    try {
      const r = await fetch("/api/search?" + p.toString());
      const body = await r.json();
      if (!r.ok) throw new Error(body.error || r.statusText);
      render(body);
    } catch (e) {
      $("status").replaceChildren(el("span", { class: "error" }, "Error: " + e.message));
      $("results").replaceChildren();
    }
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); page = 1; run(); });
  const init = new URLSearchParams(location.search);
  for (const [k, v] of init) if (form.elements[k]) form.elements[k].value = v;
  page = parseInt(init.get("page") || "1", 10) || 1;
  run();
})();
