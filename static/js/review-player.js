/* Time-coded comments of a review move the page's player to their moment, on the expert's review page and on the
 * teacher's assignment page alike (templates/ratings/_timecodes.html; docs/decisions/0009-video-time-codes.md).
 * Progressive enhancement: each time the player can reach is a plain link (our file at «#t=…», the host's page at
 * the moment) and becomes a button here:
 *  - our own <video>: currentTime, then play();
 *  - YouTube (enablejsapi=1): the IFrame API's «seekTo» and «playVideo» commands by postMessage
 *    (developers.google.com/youtube/iframe_api_reference);
 *  - RuTube: «player:setCurrentTime» {time} and «player:play» by postMessage (github.com/rutube/RutubePlayerJSAPI,
 *    rutube.ru/info/embed);
 *  - VK Видео: its JS API needs VK's openapi script from VK's CDN, which the CSP does not allow, so the player is
 *    reopened at the moment (the server built the address with «t=…», data-seek-url).
 * Times other hosts cannot reach stay plain links with the note «перемотка недоступна для этого видеохостинга». */
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
      post({ event: "command", func: "playVideo", args: [] });
    },
    rutube: function (seconds) {
      post({ type: "player:setCurrentTime", data: { time: seconds } });
      post({ type: "player:play", data: {} });
    },
    vk: function (seconds, button) {
      // VK's embed takes no commands from our page: it is reopened at the moment (the server built the address).
      var url = button.getAttribute("data-seek-url");
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
  document.querySelectorAll("a[data-seek]").forEach(function (link) {
    var seconds = parseInt(link.getAttribute("data-seek"), 10);
    if (isNaN(seconds)) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link p-0 align-baseline fw-semibold review-timecode";
    button.textContent = link.textContent;
    button.setAttribute("aria-label", template.replace("%s", link.textContent));
    var seekUrl = link.getAttribute("data-seek-url");
    if (seekUrl) {
      button.setAttribute("data-seek-url", seekUrl);
    }
    button.addEventListener("click", function () {
      seek(seconds, button);
      if (player.scrollIntoView && player.getBoundingClientRect().top < 0) {
        player.scrollIntoView({ block: "start" });
      }
    });
    link.replaceWith(button);
  });
})();
