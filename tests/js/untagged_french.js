(proper) => {
  // French words that English never uses on its own; accents English never writes.
  const WORDS = ["le","la","les","des","du","de","un","une","et","avec","sur","dans","au","aux","ce","cette","ces","vos","votre","nos","notre","qui","que","ou","où","en","à","ma","mes","ses","tous","toutes","sont","être","avoir","voir","lire","jour","jours","heure","heures","janvier","février","avril","mai","juin","juillet","août","septembre","octobre","novembre","décembre","lundi","mardi","mercredi","jeudi","vendredi","samedi","dimanche","accueil","rechercher","recherche","projet","citoyen","citoyenne","bénévolat","actualités","suivant","précédent","voir","retour","aller","contenu","aide","ville"];
  const word = new RegExp("(^|[^\\p{L}])(" + WORDS.join("|") + ")(?=$|[^\\p{L}])", "iu");
  const accent = /[àâæçéèêëîïôœùûüÿ]/i;
  const elision = /(^|[^\p{L}])[cdjlmnst]['’]\p{L}/iu;
  const found = [];
  const strip = (text) => proper.reduce((t, name) => t.split(name).join(" "), text);
  const check = (text, element, where) => {
    const host = element.closest("[lang]");
    const lang = host ? host.getAttribute("lang") : "";
    if (!lang.toLowerCase().startsWith("en")) return;
    const clean = strip(text).replace(/\s+/g, " ").trim();
    if (!clean) return;
    if (accent.test(clean) || word.test(clean) || elision.test(clean)) {
      found.push(`${where}: ${clean.slice(0, 120)}`);
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, noscript, template")) continue;
    check(node.nodeValue, parent, parent.tagName.toLowerCase());
  }
  for (const element of document.querySelectorAll("[aria-label], [placeholder], [alt], [title], input[type=submit][value], input[type=button][value]")) {
    for (const name of ["aria-label", "placeholder", "alt", "title", "value"]) {
      if (element.hasAttribute(name) && (name !== "value" || element.matches("input[type=submit], input[type=button]"))) {
        check(element.getAttribute(name), element, `${element.tagName.toLowerCase()}@${name}`);
      }
    }
  }
  return found;
}
