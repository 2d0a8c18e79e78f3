//! The HTML animation player (matplotlib's `to_jshtml`): the frames as PNG `data:` URIs, a slider,
//! first / previous / play-pause / next / last buttons and a loop switch, in plain JavaScript.
//! Every player gets its own element ids, so several players work on one page. The first frame is
//! also the `<img>`'s initial picture, so it shows even where scripts do not run. The button symbols
//! are Geometric Shapes (U+25AE, U+25B6, U+25C0), which every common font has (DejaVu too); the
//! media-control symbols U+23EE/U+23ED/U+23F8 show as empty boxes in many browsers' fonts.

use std::sync::atomic::{AtomicU64, Ordering};

static PLAYERS: AtomicU64 = AtomicU64::new(0);

/// A fresh id such as `nnlab-anim-3-1a2b3c`: a counter plus the clock, so that players made in
/// different kernel sessions of one notebook differ too.
fn fresh_id() -> String {
    let n = PLAYERS.fetch_add(1, Ordering::Relaxed);
    let t =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("nnlab-anim-{n}-{:x}", t & 0xffff_ffff)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The player for `frames` (base64 PNGs) with their `labels`, playing at `fps`.
pub(crate) fn player_html(frames: &[String], labels: &[String], fps: f64) -> String {
    let id = fresh_id();
    let uris: Vec<String> = frames.iter().map(|b| format!("data:image/png;base64,{b}")).collect();
    let js_frames = serde_json::to_string(&uris).unwrap_or_else(|_| "[]".into());
    let js_labels = serde_json::to_string(labels).unwrap_or_else(|_| "[]".into()).replace("</", "<\\/");
    let delay = (1000.0 / fps).round().max(1.0);
    let last = frames.len().saturating_sub(1);
    let first_uri = uris.first().cloned().unwrap_or_default();
    let first_label = escape(labels.first().map(String::as_str).unwrap_or(""));
    let btn = "style=\"min-width:2.2em\"";
    format!(
        r#"<div id="{id}" class="nnlab-anim" style="display:inline-block;font-family:sans-serif;font-size:13px">
<img id="{id}-img" alt="animation frame" src="{first_uri}" style="display:block"/>
<div style="display:flex;align-items:center;gap:4px;margin-top:4px">
<button id="{id}-first" title="first frame" {btn}>&#x25AE;&#x25C0;&#xFE0E;</button>
<button id="{id}-prev" title="previous frame" {btn}>&#x25C0;&#xFE0E;</button>
<button id="{id}-play" title="play / pause" {btn}>&#x25B6;&#xFE0E;</button>
<button id="{id}-next" title="next frame" {btn}>&#x25B6;&#xFE0E;&#x25B6;&#xFE0E;</button>
<button id="{id}-last" title="last frame" {btn}>&#x25B6;&#xFE0E;&#x25AE;</button>
<input id="{id}-slider" type="range" min="0" max="{last}" value="0" step="1" style="flex:1;min-width:80px"/>
<label title="start again after the last frame"><input id="{id}-loop" type="checkbox" checked/>loop</label>
</div>
<div id="{id}-label" style="margin-top:2px">{first_label}</div>
<script>
(function() {{
  var frames = {js_frames};
  var labels = {js_labels};
  var el = function(s) {{ return document.getElementById("{id}-" + s); }};
  var img = el("img"), slider = el("slider"), label = el("label"), play = el("play"), loop = el("loop");
  var i = 0, timer = null, n = frames.length;
  function show(k) {{
    i = ((k % n) + n) % n;
    img.src = frames[i];
    slider.value = i;
    label.textContent = (labels[i] || "") + "  (" + (i + 1) + "/" + n + ")";
  }}
  function stop() {{ if (timer) {{ clearInterval(timer); timer = null; }} play.innerHTML = "&#x25B6;&#xFE0E;"; }}
  function start() {{
    if (timer) return;
    if (i === n - 1 && !loop.checked) show(0);
    play.innerHTML = "&#x25AE;&#x25AE;";
    timer = setInterval(function() {{
      if (i === n - 1 && !loop.checked) {{ stop(); return; }}
      show(i + 1);
    }}, {delay});
  }}
  play.onclick = function() {{ if (timer) stop(); else start(); }};
  el("prev").onclick = function() {{ stop(); show(i - 1); }};
  el("next").onclick = function() {{ stop(); show(i + 1); }};
  el("first").onclick = function() {{ stop(); show(0); }};
  el("last").onclick = function() {{ stop(); show(n - 1); }};
  slider.oninput = function() {{ stop(); show(parseInt(slider.value, 10)); }};
  show(0);
}})();
</script>
</div>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_differ_between_players() {
        let a = player_html(&["AAAA".into()], &["x".into()], 5.0);
        let b = player_html(&["AAAA".into()], &["x".into()], 5.0);
        let id = |h: &str| h.split('"').nth(1).unwrap().to_string();
        assert_ne!(id(&a), id(&b));
        assert!(a.contains("setInterval") && a.contains("200"));
    }

    #[test]
    fn buttons_use_symbols_that_common_fonts_have() {
        // Seen in Chromium with only DejaVu fonts: U+23EE/U+23ED/U+23F8 drew empty boxes.
        let h = player_html(&["AAAA".into()], &[], 5.0);
        let entities: Vec<&str> = h.split("&#x").skip(1).map(|e| e.split(';').next().unwrap_or("")).collect();
        assert!(entities.len() >= 8, "{entities:?}");
        for e in entities {
            assert!(["25AE", "25B6", "25C0", "FE0E"].contains(&e), "symbol U+{e} is not in every font");
        }
    }

    #[test]
    fn labels_cannot_close_the_script() {
        let h = player_html(&["AAAA".into()], &["</script>".into()], 5.0);
        assert_eq!(h.matches("</script>").count(), 1);
    }
}
