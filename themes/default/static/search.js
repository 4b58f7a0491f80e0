// Search page: runs Pagefind on the query in the form (also ?q= from the header search box).
// The only JavaScript on the site; everything else works without it.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
const filterSelects = Array.from(form.querySelectorAll("select[data-filter]"));
const scopeSelects = Array.from(form.querySelectorAll("select[data-scope]"));
const yearSelect = form.elements.year;
const regionSelect = form.elements.region;
const departmentSelect = form.elements.department;
// [bundle url, year, region] of every year-and-region bundle (see search.py); "all" selects every one.
const bundles = JSON.parse(form.dataset.bundles || "[]");
// Results whose excerpt is fetched at a time: each is one request. A query's index chunks grow with its
// words and the bundles' size (21 requests besides excerpts for 中小企业发展专项 at 10,000
// department-years), so eight keep it under 30.
const PAGE_SIZE = 8;
let pagefind = null;
let mergedScope = null;
let unshown = [];

function chosenBundles() {
  const year = yearSelect.value;
  const region = regionSelect.value;
  return bundles
    .filter(([, y, r]) => (year === "all" || y === year) && (region === "all" || r === region))
    .map(([url]) => url);
}

// Pagefind with the primary bundle (site-wide pages) and the bundles of the chosen year and region
// merged in; another choice starts over (a merged bundle cannot be taken out again).
// Pagefind runs on the page, not in its web worker: the worker is one more script to fetch and start
// before any index file is asked for, and the wasm the page preloads (search.html) does not reach it.
// The bundles load side by side, each as soon as the wasm is in.
async function engine() {
  const wanted = chosenBundles();
  const scope = wanted.join(" ");
  if (pagefind && scope === mergedScope) return pagefind;
  if (pagefind) await pagefind.destroy();
  else pagefind = await import(form.dataset.pagefind);
  await pagefind.options({ baseUrl: form.dataset.base, noWorker: true });
  const merged = Promise.all(wanted.map((bundle) => pagefind.mergeIndex(bundle, { baseUrl: form.dataset.base })));
  // While the index files are on their way: the browser loads its Chinese dictionary (10–30 ms) on the
  // first word segmenter made, which would otherwise hold up the first search.
  inPieces("预算");
  await merged;
  mergedScope = scope;
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
// two-character pieces (each piece prefix-matches index words) and merge both result lists; not when the
// pieces are ICU's own words (公务 接待, 法律 顾问 费), which Pagefind searches for the query anyway: the
// second search would cost as much as the first (at 10,000 department-years, most of a query's time)
// and find the same pages.
function inPieces(query) {
  if (typeof Intl.Segmenter === "undefined") return null;
  const words = [];
  const pieces = [];
  for (const { segment, isWordLike } of new Intl.Segmenter("zh", { granularity: "word" }).segment(query)) {
    if (!isWordLike) continue;
    words.push(segment);
    if (/^\p{Script=Han}{3,}$/u.test(segment)) {
      for (let i = 0; i < segment.length; i += 2) pieces.push(segment.slice(i, i + 2));
    } else {
      pieces.push(segment);
    }
  }
  const piecesQuery = pieces.join(" ");
  return piecesQuery && piecesQuery !== words.join(" ") ? piecesQuery : null;
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

function resultItem(data) {
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
  return item;
}

// Show the next PAGE_SIZE results; returns the first new item.
async function showMore() {
  const page = unshown.splice(0, PAGE_SIZE);
  const items = (await Promise.all(page.map((r) => r.data()))).map(resultItem);
  list.append(...items);
  moreButton.hidden = unshown.length === 0;
  return items[0];
}

async function run(pushState) {
  const query = input.value.trim();
  const filters = {};
  for (const select of filterSelects) {
    if (select.value) filters[select.dataset.filter] = select.value;
  }
  list.replaceChildren();
  unshown = [];
  moreButton.hidden = true;
  if (!query) {
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = statusLine.dataset.loading;
  const pf = await engine();
  unshown = await searchBoth(pf, query, filters);
  const total = unshown.length;
  await showMore();
  statusLine.textContent = total ? `${total} ${statusLine.dataset.count}` : statusLine.dataset.none;
  if (pushState) {
    const params = new URLSearchParams(new FormData(form));
    for (const [key, value] of Array.from(params.entries())) if (!value) params.delete(key);
    history.replaceState(null, "", `?${params}`);
  }
}

// One search at a time, in order: a later choice must not be overtaken by an earlier, slower one.
let queue = Promise.resolve();
function enqueue(task) {
  queue = queue.then(task).catch((error) => console.error(error));
}
function schedule(pushState) {
  enqueue(() => run(pushState));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  schedule(true);
});
// A department is searched in its own region's bundles (its option's group): follow it there (the year
// stays as chosen); registered first, so the search below reads the new region.
departmentSelect.addEventListener("change", () => {
  const region = departmentSelect.selectedOptions[0]?.parentElement.dataset.region;
  if (departmentSelect.value && region && regionSelect.value !== "all") regionSelect.value = region;
});
for (const select of [...scopeSelects, ...filterSelects]) {
  select.addEventListener("change", () => schedule(true));
}
moreButton.addEventListener("click", () => {
  enqueue(async () => {
    const first = await showMore();
    // Keyboard and screen-reader users land on the first of the new results.
    first?.querySelector("a")?.focus();
  });
});

// The page's own choice of year and region stays unless the address names another one.
const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const select of [...scopeSelects, ...filterSelects]) {
  const value = params.get(select.name);
  if (value !== null && Array.from(select.options).some((option) => option.value === value)) {
    select.value = value;
  }
}
if (input.value) schedule(false);
// Without a query yet, load the index of the chosen scope while the reader types.
else enqueue(engine);
