// The page's language, for the parts of the page the app does not write (ui.py,
// set_interface_language): <html lang> (Streamlit fixes "en") and Streamlit's own words
// ("Select all", "Fullscreen", the table's menus), swapped wherever they appear, now or
// later (a menu opened, a tooltip shown). TABLES is {en, zh: {strings, patterns}} from
// dashboard/interface_strings.py, written in once when the app starts, so a rerun sends
// only `data`, the language ("en" or "zh"). Exact strings only: the app's own text,
// which is never one of Streamlit's words, is left alone. One observer per browser tab,
// set up again only when the language changes.
const ATTRIBUTES = ['aria-label', 'title', 'data-title', 'placeholder'];
const TABLES = /* tables */ {};

export default function ({ data }) {
  const state = (window.__interfaceLanguage ??= {});
  if (!(data in TABLES) || (state.language === data && state.observer)) return;
  state.observer?.disconnect();
  state.language = data;
  document.documentElement.lang = data === 'zh' ? 'zh-CN' : 'en';
  const table = TABLES[data];
  const strings = new Map(Object.entries(table.strings));
  const patterns = table.patterns.map(([source, target]) => [new RegExp(source), target]);

  const translate = (text) => {
    const key = text.trim();
    if (!key) return null;
    if (strings.has(key)) return text.replace(key, strings.get(key));
    for (const [pattern, target] of patterns) {
      if (pattern.test(key)) return text.replace(key, key.replace(pattern, target));
    }
    return null;
  };
  const translateText = (node) => {
    const swapped = translate(node.nodeValue);
    if (swapped !== null) node.nodeValue = swapped;
  };
  const translateAttribute = (element, name) => {
    const value = element.getAttribute(name);
    const swapped = value === null ? null : translate(value);
    if (swapped !== null) element.setAttribute(name, swapped);
  };
  const translateTree = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return translateText(root);
    // Charts' SVG holds the app's own text and thousands of nodes: never Streamlit's words.
    if (root.nodeType !== Node.ELEMENT_NODE || root instanceof SVGElement) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node instanceof SVGElement
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let node = root; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) translateText(node);
      else for (const name of ATTRIBUTES) translateAttribute(node, name);
    }
  };

  state.observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'characterData') translateText(record.target);
      else if (record.type === 'attributes') translateAttribute(record.target, record.attributeName);
      else record.addedNodes.forEach(translateTree);
    }
  });
  state.observer.observe(document.body, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ATTRIBUTES,
  });
  translateTree(document.body);
}
