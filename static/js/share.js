// The posting page's share controls: the system's share sheet where the browser has one
// (Web Share), and a "copy link" button beside the read-only link field, which works alone
// without this script.
(function () {
  "use strict";
  var share = document.querySelector(".share-button");
  if (share && navigator.share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({ title: share.dataset.shareTitle, url: share.dataset.shareUrl })
        .catch(function () { /* the reader closed the share sheet */ });
    });
  }
  var copy = document.querySelector(".copy-button");
  if (copy && navigator.clipboard) {
    var field = document.getElementById(copy.dataset.copy);
    var status = document.querySelector(".share__status");
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = copy.dataset.copied;
      }, function () {
        field.select();
      });
    });
  }
})();
