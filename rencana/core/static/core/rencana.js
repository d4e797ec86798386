// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("select[data-navigate]")) {
      window.location.assign(target.value);
    }
  });
  // A nomenclature search result fills the code and name fields of the node form.
  document.addEventListener("click", function (event) {
    var target = event.target;
    var pick = target && target.closest ? target.closest("[data-fill-kode]") : null;
    if (pick) {
      var kode = document.getElementById("id_kode");
      var nama = document.getElementById("id_nama");
      if (kode) { kode.value = pick.getAttribute("data-fill-kode"); }
      if (nama) { nama.value = pick.getAttribute("data-fill-nama"); }
      var list = pick.closest("#kode-saran");
      if (list) { list.textContent = ""; }
      if (kode) { kode.focus(); }
      return;
    }
    var confirmable = target && target.closest ? target.closest("[data-confirm]") : null;
    if (confirmable && !window.confirm(confirmable.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
