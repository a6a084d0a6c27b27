// The case-file builder: a form from the generated field list, a TOML file out.
// Plain JavaScript, no libraries, no network beyond this site's own data file.
(function () {
  "use strict";
  var data = null;
  var values = {};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function tomlString(text) {
    return '"' + String(text).replace(/\\/g, "\\\\").replace(/"/g, '\\"')
      .replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")
      .replace(/[\u0000-\u001f\u007f]/g, function (c) {
        return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
      }) + '"';
  }

  function tomlValue(field, raw) {
    if (field.kind === "bool") { return raw ? "true" : "false"; }
    if (field.kind === "int") { return String(parseInt(raw, 10)); }
    if (field.kind === "date") { return raw; }  // YYYY-MM-DD from the date input
    if (field.kind === "lines" || field.kind === "list") {
      var items = raw.split("\n").map(function (s) { return s.trim(); })
        .filter(function (s) { return s.length; });
      return "[" + items.map(tomlString).join(", ") + "]";
    }
    return tomlString(raw.trim());  // text, choices, and money ("$1,234.56" is accepted)
  }

  function filled(path) {
    var field = data.fields[path];
    var raw = values[path];
    if (field.kind === "bool") { return raw === true || raw === false; }
    if (field.kind === "int") { return raw !== undefined && /^\d+$/.test(String(raw).trim()); }
    if (field.kind === "money") {
      return raw !== undefined && /^\$?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/.test(String(raw).trim());
    }
    if (field.kind === "date") { return raw !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(raw); }
    return raw !== undefined && String(raw).trim().length > 0;
  }

  function fieldsFor(letter) {
    var wanted = data.always.slice();
    letter.needs.forEach(function (path) {
      if (data.fields[path]) { wanted.push(path); return; }
      // "charges" alone means one [[charges]] entry: ask for its main keys
      Object.keys(data.fields).forEach(function (p) {
        var f = data.fields[p];
        if (f.table === path && f.required) { wanted.push(p); }
      });
      if (path === "charges") { wanted.push("charges.date", "charges.code", "charges.billed"); }
    });
    return wanted.filter(function (p, i) { return wanted.indexOf(p) === i && data.fields[p]; });
  }

  function render() {
    var letter = data.letters[document.getElementById("letter-choice").selectedIndex];
    document.getElementById("letter-purpose").textContent = letter.purpose;
    var box = document.getElementById("builder-fields");
    box.textContent = "";
    fieldsFor(letter).forEach(function (path) {
      var field = data.fields[path];
      var id = "field-" + path.replace(/\./g, "-");
      var label = el("label", { "for": id }, (field.array ? "[[" + field.table + "]] " : "[" + field.table + "] ") + field.key);
      label.appendChild(el("span", { "class": "hint" }, field.description));
      box.appendChild(label);
      var input;
      if (field.kind === "enum") {
        input = el("select", { id: id, "data-path": path });
        input.appendChild(el("option", { value: "" }, "(choose)"));
        field.choices.forEach(function (c) { input.appendChild(el("option", { value: c }, c)); });
      } else if (field.kind === "lines" || field.kind === "list") {
        input = el("textarea", { id: id, rows: "3", "data-path": path,
                                 placeholder: field.kind === "lines" ? "One line of the address per line" : "One item per line" });
      } else if (field.kind === "bool") {
        input = el("select", { id: id, "data-path": path });
        [["", "(choose)"], ["true", "yes"], ["false", "no"]].forEach(function (o) {
          input.appendChild(el("option", { value: o[0] }, o[1]));
        });
      } else {
        input = el("input", { id: id, "data-path": path,
                              type: field.kind === "date" ? "date" : "text",
                              placeholder: field.kind === "money" ? "1234.56" : "" });
      }
      if (values[path] !== undefined) {
        input.value = field.kind === "bool" ? String(values[path]) : values[path];
      }
      input.addEventListener("input", function () {
        values[path] = field.kind === "bool" ? (input.value === "" ? undefined : input.value === "true") : input.value;
        update();
      });
      input.addEventListener("change", function () { input.dispatchEvent(new Event("input")); });
      box.appendChild(input);
    });
    update();
  }

  function update() {
    var letter = data.letters[document.getElementById("letter-choice").selectedIndex];
    var paths = fieldsFor(letter);
    var missing = document.getElementById("builder-missing");
    missing.textContent = "";
    paths.filter(function (p) { return !filled(p); }).forEach(function (p) {
      missing.appendChild(el("li", {}, p + " (" + data.fields[p].description + ")"));
    });
    if (!missing.children.length) { missing.appendChild(el("p", {}, "Nothing: the file is ready.")); }
    document.getElementById("toml-output").textContent = toml(letter, paths);
  }

  function toml(letter, paths) {
    var tables = {};
    var order = [];
    paths.filter(filled).forEach(function (p) {
      var f = data.fields[p];
      if (!tables[f.table]) { tables[f.table] = []; order.push(f.table); }
      tables[f.table].push(f.key + " = " + tomlValue(f, values[p]));
    });
    var out = ["# Made with the lettergen case-file builder", "[case]",
               "letters = [" + tomlString(letter.id) + "]"];
    (tables["case"] || []).forEach(function (line) { out.push(line); });
    order.forEach(function (t) {
      if (t === "case") { return; }
      var array = Object.keys(data.fields).some(function (p) {
        return data.fields[p].table === t && data.fields[p].array;
      });
      out.push("", array ? "[[" + t + "]]" : "[" + t + "]");
      tables[t].forEach(function (line) { out.push(line); });
    });
    return out.join("\n") + "\n";
  }

  function download() {
    var text = document.getElementById("toml-output").textContent;
    var blob = new Blob([text], { type: "application/toml" });
    var link = el("a", { href: URL.createObjectURL(blob), download: "case.toml" });
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  fetch("assets/builder-data.json").then(function (r) { return r.json(); }).then(function (d) {
    data = d;
    var choice = document.getElementById("letter-choice");
    data.letters.forEach(function (l) { choice.appendChild(el("option", { value: l.id }, l.title + " (" + l.id + ")")); });
    choice.addEventListener("change", render);
    document.getElementById("download-toml").addEventListener("click", download);
    render();
  });
})();
