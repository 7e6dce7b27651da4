// Find accessibility faults a browser can see on the rendered page, and return them as sentences.
// It checks the page language and title, one h1 and no skipped heading level, alt text on images,
// names on inline SVG images, labels on form fields and names on links and buttons. Text must meet
// WCAG 2.1 AA contrast: 4.5:1, or 3:1 for large text (24px, or 18.66px bold, and larger).
() => {
  const problems = [];
  const isShown = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
  };
  const describe = (element) => {
    const text = (element.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${element.tagName.toLowerCase()}>${text ? ` "${text}"` : ""}`;
  };

  if (!document.documentElement.lang) problems.push("<html> has no lang attribute");
  if (!document.title.trim()) problems.push("the page has no <title>");

  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(isShown);
  const h1Count = headings.filter((heading) => heading.tagName === "H1").length;
  if (h1Count !== 1) problems.push(`the page has ${h1Count} h1 headings instead of one`);
  let previousLevel = 0;
  for (const heading of headings) {
    const level = Number(heading.tagName[1]);
    if (level > previousLevel + 1) problems.push(`${describe(heading)} skips from h${previousLevel} to h${level}`);
    previousLevel = level;
  }

  for (const image of document.querySelectorAll("img")) {
    if (!image.hasAttribute("alt")) problems.push(`<img src="${image.getAttribute("src")}"> has no alt text`);
  }
  for (const svg of document.querySelectorAll("svg")) {
    // An SVG inside a named role="img" wrapper is part of that image, and nested SVGs belong to their parent.
    if (svg.closest("[aria-hidden='true'], [role='img'][aria-label]") || svg.parentElement.closest("svg")) continue;
    const named = svg.getAttribute("aria-label") || svg.getAttribute("aria-labelledby") || svg.querySelector(":scope > title");
    if (!named) problems.push("an inline <svg> has no accessible name (aria-label or <title>) and is not aria-hidden");
  }

  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (field.type === "hidden" || !isShown(field)) continue;
    const labelled = field.labels.length || field.getAttribute("aria-label") || field.getAttribute("aria-labelledby") || field.title;
    if (!labelled) problems.push(`the ${field.tagName.toLowerCase()} named "${field.name}" has no label`);
  }
  for (const control of document.querySelectorAll("a[href], button")) {
    if (!isShown(control)) continue;
    const name = control.textContent.trim() || control.getAttribute("aria-label") || control.title
      || [...control.querySelectorAll("img[alt]")].map((image) => image.alt).join("");
    if (!name) problems.push(`a ${control.tagName.toLowerCase()} has no accessible name`);
  }

  const parse = (colour) => {
    const numbers = (colour.match(/[\d.]+/g) || []).map(Number);
    return { rgb: numbers.slice(0, 3), alpha: numbers.length > 3 ? numbers[3] : 1 };
  };
  const blend = (top, bottom) => top.rgb.map((channel, i) => channel * top.alpha + bottom[i] * (1 - top.alpha));
  const backgroundOf = (element) => {
    const layers = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const layer = parse(getComputedStyle(node).backgroundColor);
      if (layer.alpha > 0) layers.push(layer);
      if (layer.alpha >= 1) break;
    }
    return layers.reduceRight((below, layer) => blend(layer, below), [255, 255, 255]);
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((channel) => {
      const c = channel / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  for (const element of document.body.querySelectorAll("*")) {
    const ownText = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
    if (!ownText || !isShown(element) || element.closest("[disabled], svg, .skip-link")) continue;
    const style = getComputedStyle(element);
    const background = backgroundOf(element);
    const foreground = blend(parse(style.color), background);
    const [lighter, darker] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
    const ratio = (lighter + 0.05) / (darker + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`${describe(element)} has contrast ${ratio.toFixed(2)}:1 (${style.color} on rgb(${background.map(Math.round)}))`);
    }
  }
  return problems;
}
