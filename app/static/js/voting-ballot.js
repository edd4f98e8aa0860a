// Progressive enhancement of the budget ballot: the remaining budget follows the ticked boxes
// before the choice is saved. Without this file the page works the same: the server recomputes
// the figures on each save.
(function () {
  "use strict";
  var form = document.querySelector("form.ballot-form");
  if (!form) {
    return;
  }
  // Amounts have cents: count in whole cents, so that sums are exact (no 0.1 + 0.2).
  function cents(value) {
    return Math.round((Number(value) || 0) * 100);
  }
  var budget = cents(form.getAttribute("data-budget"));
  var currency = form.getAttribute("data-currency") || "EUR";
  var locale = document.documentElement.lang || undefined;
  var format;
  try {
    format = new Intl.NumberFormat(locale, { style: "currency", currency: currency });
  } catch (error) {
    format = new Intl.NumberFormat(undefined, { style: "currency", currency: currency });
  }
  var totalOut = form.querySelector('[data-ballot="total"]');
  var remainingOut = form.querySelector('[data-ballot="remaining"]');
  var over = form.querySelector('[data-ballot="over"]');
  var under = form.querySelector('[data-ballot="under"]');
  var minimum = cents(form.getAttribute("data-minimum"));
  var boxes = form.querySelectorAll('input[type="checkbox"][name="proposals"]');

  function update() {
    var total = 0;
    boxes.forEach(function (box) {
      if (box.checked) {
        total += cents(box.getAttribute("data-cost"));
      }
    });
    if (totalOut) {
      totalOut.textContent = format.format(total / 100);
    }
    if (remainingOut) {
      remainingOut.textContent = format.format((budget - total) / 100);
    }
    if (over) {
      over.hidden = total <= budget;
    }
    if (under) {
      under.hidden = !(total > 0 && total < minimum);
    }
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", update);
  });
})();
