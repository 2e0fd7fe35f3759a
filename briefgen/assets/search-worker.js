/* briefgen search: Material's search box and results, answered by Pagefind.

   Material's page script sends this worker the messages its own worker gets:
   SETUP (its index file, which briefgen leaves empty), then QUERY with what the
   reader typed. We answer with RESULT in the shape Material renders: one group
   per page, the page first, then its sections. Pagefind loads only the parts
   of its index that a query needs, so the first result comes quickly however
   large the site is. Material inserts titles and excerpts as HTML: titles are
   escaped here, and Pagefind's excerpts are escaped text with <mark> tags. */

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;
const PAGES_SHOWN = 10;
const SECTIONS_SHOWN = 2;

const pagefindUrl = new URL("../../pagefind/pagefind.js", self.location).href;
let pagefind = null;
let latest = 0;

// Pagefind (its script, its WebAssembly and the index's entry: some 120 KB) loads with
// the reader's first key, not with every page: most page views never search, and the
// first view of a phone on a slow line should not pay for a search nobody asked for.
// The first letters of a query take longer than the loading does.
function loadPagefind() {
  pagefind ??= import(pagefindUrl).then(async (module) => {
    await module.options({ excerptLength: 24 });
    await module.init();
    return module;
  });
  return pagefind;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function queryTerms(query) {
  const terms = {};
  for (const word of query.toLowerCase().split(/[\s\-*+:~^]+/)) {
    if (word) terms[word] = true;
  }
  return terms;
}

async function search(query) {
  const cleaned = query.replace(/[*+~^:]/g, " ").trim();
  if (!cleaned) return { items: [] };
  let found;
  try {
    found = await (await loadPagefind()).search(cleaned);
  } catch (error) {
    pagefind = null; // the next key tries again
    throw error;
  }
  const pages = await Promise.all(found.results.slice(0, PAGES_SHOWN).map((r) => r.data()));
  const terms = queryTerms(cleaned);
  const items = pages.map((page, rank) => {
    const score = found.results[rank].score;
    const location = new URL(page.url, self.location).href;
    const article = { location, title: escapeHtml(page.meta.title || ""), text: page.excerpt, score, terms };
    // Sections: those that match most, shown; the rest folded under "more on this page".
    const sections = (page.sub_results || [])
      .filter((sub) => sub.url !== page.url && sub.url.includes("#"))
      .map((sub) => ({ sub, hits: (sub.weighted_locations || sub.locations || []).length }))
      .sort((a, b) => b.hits - a.hits)
      .map(({ sub }, index) => ({
        location: new URL(sub.url, self.location).href,
        title: escapeHtml(sub.title),
        text: sub.excerpt,
        score: index < SECTIONS_SHOWN ? score : score / 2,
        terms,
      }));
    return [article, ...sections];
  });
  return { items };
}

addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === SETUP) {
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const asked = ++latest;
    let data;
    try {
      data = await search(message.data);
    } catch (error) {
      console.warn("Search failed:", error);
      data = { items: [] };
    }
    // Typing sends a query per key: answer only the newest, never an older one late.
    if (asked === latest) postMessage({ type: RESULT, data });
  }
});
