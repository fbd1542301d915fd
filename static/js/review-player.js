/* Time-coded comments of a review move the player to their moment. Progressive enhancement: the times are
 * plain text in the page; where the player can be moved (our own <video>, YouTube with enablejsapi=1,
 * RuTube, VK reopened at the moment) each becomes a button. Other hosts' players cannot be driven, so their
 * times stay text and the page says «перемотка недоступна для этого видеохостинга». */
(function () {
  "use strict";

  var player = document.querySelector("[data-review-player]");
  if (!player) {
    return;
  }
  var kind = player.getAttribute("data-review-player");

  function post(message) {
    var origin = "*";
    try {
      origin = new URL(player.src).origin;
    } catch (e) {
      return;
    }
    player.contentWindow.postMessage(JSON.stringify(message), origin);
  }

  var seekers = {
    file: function (seconds) {
      player.currentTime = seconds;
      var playing = player.play && player.play();
      if (playing && playing.catch) {
        playing.catch(function () {});
      }
    },
    youtube: function (seconds) {
      post({ event: "command", func: "seekTo", args: [seconds, true] });
    },
    rutube: function (seconds) {
      post({ type: "player:setCurrentTime", data: { time: seconds } });
    },
    vk: function (seconds, span) {
      // VK's embed takes no commands from our page: it is reopened at the moment (the server built the address).
      var url = span.getAttribute("data-seek-url");
      if (url) {
        player.src = url;
      }
    }
  };
  var seek = seekers[kind];
  if (!seek) {
    return;
  }

  var list = document.querySelector("[data-seek-label]");
  var template = list ? list.getAttribute("data-seek-label") : "%s";
  document.querySelectorAll("[data-seek]").forEach(function (span) {
    var seconds = parseInt(span.getAttribute("data-seek"), 10);
    if (isNaN(seconds)) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link p-0 align-baseline fw-semibold review-timecode";
    button.textContent = span.textContent;
    button.setAttribute("aria-label", template.replace("%s", span.textContent));
    var seekUrl = span.getAttribute("data-seek-url");
    if (seekUrl) {
      button.setAttribute("data-seek-url", seekUrl);
    }
    button.addEventListener("click", function () {
      seek(seconds, button);
      if (player.scrollIntoView && player.getBoundingClientRect().top < 0) {
        player.scrollIntoView({ block: "start" });
      }
    });
    span.replaceWith(button);
  });
})();
