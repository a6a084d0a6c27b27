// The case-file builder: a form generated from the one declaration of the case file
// (assets/builder-data.json, made from lettergen/casefields.py), checked with the
// loader's own messages, and a TOML file out. Plain JavaScript, no libraries, nothing
// sent anywhere: the data file is this site's own.
(function () {
  "use strict";
  var data = null;
  var roots = [];   // one control per top-level table, in the file's order
  var counter = 0;  // unique element ids
  var attempted = false;  // after a download attempt every problem is shown

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  // ---- values as TOML, like casefields.toml_value ---------------------------------

  function tomlString(text) {
    return '"' + String(text).replace(/\\/g, "\\\\").replace(/"/g, '\\"')
      .replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")
      .replace(/[\u0000-\u001f\u007f]/g, function (c) {
        return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
      }) + '"';
  }

  function shown(raw) { return tomlString(raw.length > 80 ? raw.slice(0, 80) : raw); }

  // ---- one key's checks, worded as lettergen/casefile.py words them ------------------

  function textProblem(text) {
    if (text.length > data.max_text) {
      return "is " + text.length.toLocaleString("en-US") + " characters long; the limit is " +
        data.max_text.toLocaleString("en-US") + ": shorten it (keep the details in your own " +
        "notes; the letter needs the gist)";
    }
    var at = text.search(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    if (at >= 0) {
      return "contains a control character at character " + (at + 1) + "; remove it (it is " +
        "invisible, often pasted in by accident, and no letter can print it)";
    }
    if (text.replace(/^\s+/, "").indexOf(data.placeholder) === 0) {
      return "still reads " + shown(text) + ", the starter file's placeholder; write the " +
        "real value in its place (or delete the line if the key is not required)";
    }
    return "";
  }

  function moneyProblem(raw) {
    var text = raw.trim();
    var expected = 'expected an amount of money such as 1234.56 or "$1,234.56", got ' + shown(raw);
    if (raw.length > 40) { return expected; }
    if (/^\$?-/.test(text)) { return "an amount of money cannot be negative, got " + shown(raw); }
    if (!new RegExp(data.money_pattern).test(text)) {
      if (/^-?\$?-?[\d,]*\.?\d*$/.test(text) && /\.\d{3,}$/.test(text)) {
        return "an amount of money has at most two decimals (cents), got " + shown(raw);
      }
      return expected;
    }
    if (text.replace(/[$,]/g, "").split(".")[0].replace(/^0+/, "").length > 15) {
      return "an amount of money this large must be a typo, got " + shown(raw);
    }
    return "";
  }

  // (message, TOML text) for one raw value; the TOML text is null when it is left out.
  function check(field, raw) {
    var kind = field.kind;
    if (kind === "bool") { return ["", raw === "" ? null : raw]; }
    if (kind === "lines" || kind === "list") {
      var items = raw.split("\n").map(function (s) { return s.trim(); })
        .filter(function (s) { return s.length; });
      if (!items.length) { return ["", null]; }
      for (var i = 0; i < items.length; i++) {
        var p = textProblem(items[i]);
        if (p) { return ["item " + (i + 1) + " of the list " + p, null]; }
      }
      var total = items.join("").length;
      if (total > data.max_text) {
        return ["the items of the list are " + total.toLocaleString("en-US") + " characters " +
                "long together; the limit is " + data.max_text.toLocaleString("en-US") +
                ": shorten them", null];
      }
      return ["", "[" + items.map(tomlString).join(", ") + "]"];
    }
    if (raw.trim() === "") { return ["", null]; }
    if (kind === "str") {
      var problem = textProblem(raw);
      if (problem) { return [problem, null]; }
      if (field.pattern && !new RegExp(field.pattern).test(raw)) {
        return [field.pattern_hint + ", got " + shown(raw), null];
      }
      return ["", tomlString(raw)];
    }
    if (kind === "int") {
      var text = raw.trim();
      if (!/^[+-]?\d+$/.test(text)) {
        return ["expected a whole number such as 3, got " + shown(raw), null];
      }
      var n = parseInt(text, 10);
      if (field.minimum !== undefined && n < field.minimum) {
        return ["must be " + field.minimum + " or more, got " + n, null];
      }
      if (field.maximum !== undefined && n > field.maximum) {
        return ["must be " + field.maximum.toLocaleString("en-US") + " or less, got " + n, null];
      }
      return ["", String(n)];
    }
    if (kind === "date") {
      var day = raw.trim();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || isNaN(Date.parse(day + "T00:00:00Z"))) {
        return ["expected a date written year-month-day, such as 2026-03-02, got " +
                shown(raw), null];
      }
      if (day < data.earliest_date || day > data.latest_date) {
        return [day + " is not a plausible date: lettergen accepts dates from " +
                data.earliest_date + " to " + data.latest_date + "; check the year", null];
      }
      return ["", day];
    }
    if (kind === "money") {
      var bad = moneyProblem(raw);
      if (bad) { return [bad, null]; }
      var amount = raw.trim();  // a plain number as TOML writes one, "$1,234.56" as text
      return ["", /^(0|[1-9]\d*)(\.\d{1,2})?$/.test(amount) ? amount : tomlString(amount)];
    }
    // enum, state: a select offers only the declared values
    var values = field.choices.map(function (c) { return c[0]; });
    if (values.indexOf(raw) < 0) {
      return ["expected one of " + values.join(", ") + "; got " + shown(raw), null];
    }
    return ["", tomlString(raw)];
  }

  // ---- the form -----------------------------------------------------------------------

  function hintText(field) {
    var text = field.description;
    if (field.kind === "lines") { text += " One line of the address per line."; }
    if (field.kind === "list") { text += " One item per line."; }
    if (field.kind === "money") { text += ' Such as 1234.56 or $1,234.56.'; }
    if (field.name === "letters" && data.letters.length) {
      text += " The ids: " + data.letters.map(function (l) { return l.id; }).join(", ") + ".";
    }
    if (field.default !== undefined) { text += " Left empty: " + field.default + "."; }
    if (field.required) { text += " " + field.required_note; }
    return text;
  }

  // One key: label, help, the input and the place for its problem. Returns the control.
  function leaf(box, field, path, heading) {
    var id = "f" + (++counter);
    var wrap = el("div", { "class": "builder-field" });
    var help = el("span", { "class": "hint", id: id + "-help" }, hintText(field));
    var error = el("p", { "class": "builder-error", id: id + "-error" });
    var described = id + "-help " + id + "-error";
    var input, get;
    if (field.kind === "bool") {
      input = el("fieldset", { "class": "builder-bool", "data-path": path,
                               "aria-describedby": described });
      var legend = el("legend", {}, heading);
      legend.appendChild(help);
      input.appendChild(legend);
      [["true", "Yes"], ["false", "No"], ["", "Not known (leave it out)"]].forEach(function (o, i) {
        var rid = id + "-" + i;
        var radio = el("input", { type: "radio", name: id, id: rid, value: o[0] });
        if (o[0] === "") { radio.checked = true; }
        var label = el("label", { "for": rid, "class": "builder-choice" });
        label.appendChild(radio);
        label.appendChild(document.createTextNode(" " + o[1]));
        input.appendChild(label);
      });
      get = function () {
        var on = input.querySelector("input:checked");
        return on ? on.value : "";
      };
      wrap.appendChild(input);
    } else {
      var label = el("label", { "for": id }, heading);
      label.appendChild(help);
      wrap.appendChild(label);
      var attrs = { id: id, "data-path": path, "aria-describedby": described };
      if (field.kind === "enum" || field.kind === "state") {
        input = el("select", attrs);
        input.appendChild(el("option", { value: "" }, "(leave out)"));
        field.choices.forEach(function (c) {
          input.appendChild(el("option", { value: c[0] }, c[1] ? c[0] + ": " + c[1] : c[0]));
        });
      } else if (field.kind === "lines" || field.kind === "list") {
        input = el("textarea", Object.assign(attrs, { rows: "3" }));
      } else {
        attrs.type = field.kind === "date" ? "date" : "text";
        if (field.kind === "money") { attrs.inputmode = "decimal"; }
        if (field.kind === "int") { attrs.inputmode = "numeric"; }
        if (field.required) { attrs["aria-required"] = "true"; }
        input = el("input", attrs);
      }
      get = function () { return input.value; };
      wrap.appendChild(input);
    }
    wrap.appendChild(error);
    box.appendChild(wrap);
    var touched = false;
    input.addEventListener("change", function () { touched = true; update(); });
    input.addEventListener("input", function () { touched = true; update(); });
    return {
      field: field, get: get, focus: id,
      show: function (message) {
        var visible = message && (touched || attempted) ? message : "";
        error.textContent = visible;
        if (input.tagName !== "FIELDSET") {
          if (visible) { input.setAttribute("aria-invalid", "true"); }
          else { input.removeAttribute("aria-invalid"); }
        }
      }
    };
  }

  // The keys of one table or entry. Keys asked first (data.first) are skipped here when
  // they were already placed in the first section (skip).
  function group(box, fields, path, skip) {
    var items = {}, above = [];
    fields.forEach(function (field) {
      var sub = path + "." + field.name;
      if (skip && skip[sub]) { items[field.name] = skip[sub]; above.push(field.name); return; }
      if (field.kind === "table") {
        var set = el("fieldset", { "class": "builder-table", "data-path": sub });
        set.appendChild(el("legend", {}, field.name));
        set.appendChild(el("p", { "class": "hint" }, field.description));
        box.appendChild(set);
        items[field.name] = { field: field, inner: group(set, field.fields, sub) };
      } else if (field.kind === "tables") {
        items[field.name] = entries(box, field.name, field.description, field.fields, sub);
      } else {
        items[field.name] = leaf(box, field, sub, field.name);
      }
    });
    if (above.length) {
      var note = el("p", { "class": "hint" }, "Asked in the first section above: " +
                    above.join(", ") + ".");
      box.insertBefore(note, box.children[2] || null);
    }
    return { fields: fields, items: items };
  }

  // An array of tables ([[charges]], offer previous): entries, each with "remove", and
  // a button to add another.
  function entries(box, name, description, fields, path) {
    var set = el("fieldset", { "class": "builder-table", "data-path": path });
    set.appendChild(el("legend", {}, name + " (one entry each)"));
    set.appendChild(el("p", { "class": "hint" }, description));
    var list = el("div", {});
    set.appendChild(list);
    var control = { entries: [], fields: fields };
    var add = el("button", { type: "button", "class": "md-button", "data-add": path },
                 "Add " + (path.indexOf(".") < 0 ? "a " + name : "an earlier offer") +
                 " entry");
    add.addEventListener("click", function () {
      var entry = el("fieldset", { "class": "builder-entry", "data-path": path });
      var legend = el("legend", {}, name + " #" + (control.entries.length + 1));
      entry.appendChild(legend);
      var made = group(entry, fields, path);
      made.legend = legend;
      var remove = el("button", { type: "button", "class": "md-button" }, "Remove this entry");
      remove.addEventListener("click", function () {
        control.entries.splice(control.entries.indexOf(made), 1);
        entry.remove();
        control.entries.forEach(function (e, i) { e.legend.textContent = name + " #" + (i + 1); });
        update();
      });
      entry.appendChild(remove);
      list.appendChild(entry);
      control.entries.push(made);
      update();
      var first = entry.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
    set.appendChild(add);
    box.appendChild(set);
    return control;
  }

  function build() {
    var form = document.getElementById("builder-fields");
    var first = el("fieldset", { "class": "builder-table builder-first" });
    first.appendChild(el("legend", {}, "First: what decides the letters"));
    first.appendChild(el("p", { "class": "hint" }, "The state and the kind of plan decide " +
      "which rules, deadlines and letters apply; the amounts and the denial's words are " +
      "what the letters argue from. Fill in what your papers show; leave the rest empty."));
    form.appendChild(first);
    var placed = {};
    data.first.forEach(function (path) {
      var parts = path.split(".");
      var table = data.tables.filter(function (t) { return t.name === parts[0]; })[0];
      var field = table.fields.filter(function (f) { return f.name === parts[1]; })[0];
      placed[path] = leaf(first, field, path, table.header + " " + field.name);
    });
    roots = data.tables.map(function (table) {
      if (table.array) {
        var c = entries(form, table.header, table.description, table.fields, table.name);
        c.table = table;
        return c;
      }
      var set = el("fieldset", { "class": "builder-table", "data-table": table.name });
      set.appendChild(el("legend", {}, table.header + (table.required ? " (required)" : "")));
      set.appendChild(el("p", { "class": "hint" }, table.description));
      form.appendChild(set);
      var made = group(set, table.fields, table.name, placed);
      made.table = table;
      return made;
    });
  }

  // ---- reading the form back: the TOML and every problem ----------------------------

  // {present, lines, values, problems} for one table or entry; where is the loader's
  // prefix ("[claim]", "[[charges]] #2", "[offer] agreed").
  function read(made, where, required, problems) {
    var lines = [], values = {}, present = false, pending = [];
    made.fields.forEach(function (field) {
      var item = made.items[field.name];
      var at = where + " " + field.name;
      if (field.kind === "table") {
        var inner = read(item.inner, at, false, problems);
        if (inner.present) {
          present = true;
          lines.push(field.name + " = { " + inner.lines.join(", ") + " }");
        }
        return;
      }
      if (field.kind === "tables") {
        var parts = item.entries.map(function (e, i) {
          return read(e, at + " #" + (i + 1), true, problems);
        });
        if (parts.length) {
          present = true;
          lines.push(field.name + " = [" + parts.map(function (p) {
            return "{ " + p.lines.join(", ") + " }";
          }).join(", ") + "]");
        }
        return;
      }
      var raw = item.get();
      var result = check(field, raw);
      values[field.name] = result[1];
      if (result[0]) {
        present = true;
        problems.push({ where: at, message: result[0], control: item });
      } else if (result[1] !== null) {
        present = true;
        lines.push(field.name + " = " + result[1]);
        item.show("");
      } else {
        pending.push([field, item, at]);
      }
    });
    pending.forEach(function (p) {
      if (p[0].required && (present || required)) {
        problems.push({ where: p[2], message: "required", control: p[1] });
      } else {
        p[1].show("");
      }
    });
    return { present: present, lines: lines, values: values };
  }

  function control(table, key) {
    var root = roots.filter(function (r) { return r.table.name === table; })[0];
    return root.items[key];
  }

  // Values each fine but contradicting each other, as casefile.consistency says.
  function consistency(t, problems) {
    var pairs = [
      ["claim", "service_date", "service_end_date",
       "the last day of care cannot come before the first"],
      ["balance", "first_statement_date", "statement_date",
       "the first statement cannot come after the latest one"],
      ["denial", "date", "appeal_filed", "an appeal cannot be filed before the denial it answers"]
    ];
    pairs.forEach(function (p) {
      var early = t[p[0]].values[p[1]], late = t[p[0]].values[p[2]];
      if (early && late && late < early) {
        problems.push({ where: "[" + p[0] + "] " + p[2], control: control(p[0], p[2]),
                        message: late + " is before " + p[1] + " " + early + ": " + p[3] });
      }
    });
    var insurer = t.insurer;
    var typoed = problems.some(function (p) { return p.where.indexOf("[insurer]") === 0; });
    if (insurer.present && insurer.values.plan_type === null && !typoed) {
      var field = control("insurer", "plan_type").field;
      var kinds = field.choices.map(function (c) { return '"' + c[0] + '" (' + c[1] + ")"; });
      problems.push({ where: "[insurer] plan_type", control: control("insurer", "plan_type"),
        message: "required when [insurer] is given: the kind of plan decides which rules, " +
          "deadlines and letters apply. Write the one that fits, such as plan_type = " +
          '"employer". The choices: ' + kinds.join("; ") });
    }
    var letters = t["case"].values.date, denied = t.denial.values.date;
    if (letters && denied && letters < denied) {
      problems.push({ where: "[case] date", control: control("case", "date"),
        message: letters + " is before [denial] date " + denied + ": the letters would be " +
          "dated before the denial they answer. Correct the date that is wrong, or remove " +
          "[case] date to date the letters today" });
    }
    if (t.offer.values.monthly && t.offer.values.payment !== '"payment-plan"') {
      problems.push({ where: "[offer] monthly", control: control("offer", "monthly"),
        message: 'a monthly amount needs payment = "payment-plan"; add it, or remove ' +
          "monthly for a lump sum" });
    }
  }

  function recipients(entriesControl, problems) {
    entriesControl.entries.forEach(function (e, i) {
      e.items["for"].get().split("\n").map(function (s) { return s.trim(); })
        .filter(function (s) { return s; }).forEach(function (who) {
          if (data.recipients.indexOf(who) < 0) {
            problems.push({ where: "[[enclosures]] #" + (i + 1) + " for", control: e.items["for"],
              message: "'" + who + "' is not a recipient; use " + data.recipients.join(", ") });
          }
        });
    });
  }

  function collect() {
    var problems = [], out = ["# Made with the lettergen case-file builder"], tables = {};
    roots.forEach(function (root) {
      var table = root.table;
      if (table.array) {
        root.entries.forEach(function (e, i) {
          var r = read(e, table.header + " #" + (i + 1), true, problems);
          out.push("", table.header);
          out = out.concat(r.lines);
        });
        return;
      }
      var r = read(root, table.header, table.required, problems);
      tables[table.name] = r;
      if (r.present) { out.push("", table.header); out = out.concat(r.lines); }
    });
    consistency(tables, problems);
    recipients(roots.filter(function (r) { return r.table.name === "enclosures"; })[0], problems);
    return { problems: problems, text: out.join("\n") + "\n" };
  }

  function update() {
    var result = collect();
    var seen = [];
    result.problems.forEach(function (p) {
      if (seen.indexOf(p.control) < 0) { p.control.show(p.message); seen.push(p.control); }
    });
    var list = document.getElementById("builder-problems");
    list.textContent = "";
    var shownProblems = result.problems.filter(function () { return attempted; });
    shownProblems.forEach(function (p) {
      var li = el("li", {});
      var link = el("a", { href: "#" + p.control.focus }, p.where);
      li.appendChild(link);
      li.appendChild(document.createTextNode(": " + p.message));
      list.appendChild(li);
    });
    var output = document.getElementById("toml-output");
    output.textContent = result.problems.length ? "" : result.text;
    document.getElementById("toml-note").textContent = result.problems.length
      ? "The file appears here once every problem is fixed (" + result.problems.length +
        " now)."
      : "This is the file the download saves.";
    return result;
  }

  function download() {
    attempted = true;
    var result = update();
    var status = document.getElementById("builder-status");
    if (result.problems.length) {
      status.textContent = "Nothing was downloaded: fix the " + result.problems.length +
        " problem(s) listed here and shown beside each field, then download again.";
      return;
    }
    var blob = new Blob([result.text], { type: "application/toml" });
    var link = el("a", { href: URL.createObjectURL(blob), download: "my-case.toml" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    status.textContent = "Downloaded my-case.toml. The file is valid as far as the builder " +
      "can tell; run lettergen check my-case.toml to see which letters fit and your deadlines.";
  }

  fetch("assets/builder-data.json").then(function (r) { return r.json(); }).then(function (d) {
    data = d;
    build();
    document.getElementById("download-toml").addEventListener("click", download);
    update();
    document.getElementById("builder-fields").setAttribute("data-ready", "true");
  });
})();
