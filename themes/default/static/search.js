// Search page: runs Pagefind on the query in the form (also ?q= from the header search box).
// The only JavaScript on the site; everything else works without it.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const selects = Array.from(form.querySelectorAll("select[data-filter]"));
let pagefind = null;

async function engine() {
  if (!pagefind) {
    pagefind = await import(form.dataset.pagefind);
    await pagefind.options({ baseUrl: form.dataset.base });
    // Large sites are indexed in several bundles (see search.py); search them all as one.
    for (const bundle of (form.dataset.bundles || "").split(" ").filter(Boolean)) {
      await pagefind.mergeIndex(bundle, { baseUrl: form.dataset.base });
    }
  }
  return pagefind;
}

function link(href, text) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  return a;
}

// Pagefind segments page text with jieba at index time but the query with the browser's ICU
// segmenter, and the two disagree: ICU keeps 中小企业 whole where the index holds 中小 + 企业, so
// 中小企业发展专项 would only find pages whose title is exactly that. We also search the query cut into
// two-character pieces (each piece prefix-matches index words) and merge both result lists.
function inPieces(query) {
  if (typeof Intl.Segmenter === "undefined") return null;
  const words = [];
  for (const { segment, isWordLike } of new Intl.Segmenter("zh", { granularity: "word" }).segment(query)) {
    if (!isWordLike) continue;
    if (/^\p{Script=Han}{3,}$/u.test(segment)) {
      for (let i = 0; i < segment.length; i += 2) words.push(segment.slice(i, i + 2));
    } else {
      words.push(segment);
    }
  }
  const pieces = words.join(" ");
  return pieces && pieces !== query ? pieces : null;
}

async function searchBoth(pf, query, filters) {
  const queries = [query, inPieces(query)].filter(Boolean);
  const searches = await Promise.all(queries.map((q) => pf.search(q, { filters })));
  const seen = new Set();
  const results = [];
  for (const search of searches) {
    for (const result of search.results) {
      if (!seen.has(result.id)) {
        seen.add(result.id);
        results.push(result);
      }
    }
  }
  return results;
}

// Many pages share a title (a project 法律顾问费 in 54 departments): the title carries the department,
// year, 预算/决算 and, for a project, its amount (data-pagefind-meta, see _macros.html `filters`).
function resultTitle(data) {
  const meta = data.meta || {};
  const title = meta.title || data.url;
  const details = [meta.department, meta.year, meta.kind, meta.amount].filter((part) => part && part !== title);
  return details.length ? `${title} · ${details.join(" · ")}` : title;
}

async function run(pushState) {
  const query = input.value.trim();
  const filters = {};
  for (const select of selects) {
    if (select.value) filters[select.dataset.filter] = select.value;
  }
  list.replaceChildren();
  if (!query) {
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = statusLine.dataset.loading;
  const pf = await engine();
  const found = await searchBoth(pf, query, filters);
  const results = await Promise.all(found.slice(0, 30).map((r) => r.data()));
  for (const data of results) {
    const item = document.createElement("li");
    const heading = document.createElement("h3");
    heading.append(link(data.url, resultTitle(data)));
    item.append(heading);
    const excerpt = document.createElement("p");
    // Pagefind escapes page text in excerpts and adds only <mark>.
    excerpt.innerHTML = data.excerpt;
    item.append(excerpt);
    const sections = (data.sub_results || []).filter((s) => s.url.includes("#")).slice(0, 3);
    if (sections.length) {
      const sub = document.createElement("ul");
      for (const section of sections) {
        const li = document.createElement("li");
        li.append(link(section.url, section.title));
        sub.append(li);
      }
      item.append(sub);
    }
    list.append(item);
  }
  statusLine.textContent = results.length
    ? `${found.length} ${statusLine.dataset.count}`
    : statusLine.dataset.none;
  if (pushState) {
    const params = new URLSearchParams(new FormData(form));
    for (const [key, value] of Array.from(params.entries())) if (!value) params.delete(key);
    history.replaceState(null, "", `?${params}`);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run(true);
});
for (const select of selects) select.addEventListener("change", () => run(true));

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const select of selects) select.value = params.get(select.name) || "";
if (input.value) run(false);
