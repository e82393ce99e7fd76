// casework: small behaviours on server-rendered pages. No inline script anywhere:
// everything hangs off data- attributes.
(function () {
  "use strict";

  // Formsets: add a row from the <template> and renumber TOTAL_FORMS; remove a row by
  // ticking its DELETE box (kept, so the server knows) and hiding it.
  function addRow(button) {
    var prefix = button.dataset.addRow;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var tpl = document.getElementById(prefix + "-empty");
    var index = parseInt(total.value, 10);
    var html = tpl.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    document.getElementById(prefix + "-rows").appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
    recalc();
  }

  function removeRow(button) {
    var row = button.closest("[data-row]");
    var del = row.querySelector("input[type=checkbox][name$='-DELETE']");
    if (del) { del.checked = true; }
    row.hidden = true;
    recalc();
  }

  // Costing: running total of the visible lines, with VAT.
  function recalc() {
    var out = document.querySelector("[data-costing-total]");
    if (!out) { return; }
    var net = 0;
    document.querySelectorAll("[data-row]").forEach(function (row) {
      if (row.hidden) { return; }
      var q = row.querySelector("[data-qty]");
      var p = row.querySelector("[data-price]");
      if (q && p) { net += (parseFloat(q.value) || 0) * (parseFloat(p.value) || 0); }
    });
    var vatInput = document.querySelector("[data-vat]");
    var rate = vatInput ? (parseFloat(vatInput.value) || 0) : 0;
    var vat = Math.round(net * rate) / 100;
    var fmt = function (n) {
      return "£" + n.toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    };
    out.textContent = "Net " + fmt(net) + " + VAT " + fmt(vat) + " = " + fmt(net + vat);
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) { event.preventDefault(); addRow(add); return; }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) { event.preventDefault(); removeRow(remove); }
  });
  document.addEventListener("input", recalc);

  // An irreversible step asks once more before it goes.
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  document.addEventListener("DOMContentLoaded", recalc);
})();
