//! Keras' progress bar, for `fit(...).verbose(1)`: one line per epoch that redraws itself as the steps
//! go (ending each redraw with `\r`), then stays as the epoch's summary.
//!
//! ```text
//! Epoch 1/5
//!  912/1875 [=============>................] - ETA: 2s - loss: 0.6329 - accuracy: 0.7816
//! ```
//!
//! In the nnlab kernel each redraw reaches the notebook as it is printed; a front end that shows
//! whole lines only sees the summary.

use std::io::Write;
use std::time::{Duration, Instant};

/// How often the bar redraws at most (Keras: 0.05 s in a terminal; a notebook keeps every redraw).
const REDRAW: Duration = Duration::from_millis(100);
const WIDTH: usize = 30;

/// One epoch's bar.
pub(crate) struct ProgressBar {
    steps: usize,
    start: Instant,
    drawn: Option<Instant>,
}

impl ProgressBar {
    /// A bar for an epoch of `steps` steps; nothing is printed yet.
    pub(crate) fn new(steps: usize) -> ProgressBar {
        ProgressBar { steps, start: Instant::now(), drawn: None }
    }

    /// After step `done` of the epoch, with the running values (`loss: 0.6329`...): redraws at most
    /// every 0.1 s.
    pub(crate) fn update(&mut self, done: usize, values: impl FnOnce() -> String) {
        if self.drawn.is_some_and(|t| t.elapsed() < REDRAW) || done >= self.steps {
            return;
        }
        let elapsed = self.start.elapsed().as_secs_f64();
        let eta = elapsed / done.max(1) as f64 * (self.steps - done) as f64;
        let line = format!("{} - ETA: {}{}", self.bar(done), seconds(eta), values());
        print!("{line}\r");
        let _ = std::io::stdout().flush();
        self.drawn = Some(Instant::now());
    }

    /// The epoch's last line: the full bar, the time taken and `rest` (the values, with validation).
    pub(crate) fn finish(&self, rest: &str) {
        let elapsed = self.start.elapsed().as_secs_f64();
        let per_step = elapsed / self.steps.max(1) as f64;
        let per_step = if per_step < 1e-3 {
            format!("{:.0}us", per_step * 1e6)
        } else {
            format!("{:.0}ms", per_step * 1e3)
        };
        println!("{} - {} {per_step}/step{rest}", self.bar(self.steps), seconds(elapsed));
    }

    fn bar(&self, done: usize) -> String {
        let width = self.steps.to_string().len();
        let filled = WIDTH * done / self.steps.max(1);
        let head = if done < self.steps { ">" } else { "=" };
        let bar = if filled == 0 && done < self.steps {
            format!(">{}", ".".repeat(WIDTH - 1))
        } else {
            format!("{}{head}{}", "=".repeat(filled.saturating_sub(1)), ".".repeat(WIDTH - filled.max(1)))
        };
        format!("{done:>width$}/{} [{bar}]", self.steps)
    }
}

fn seconds(s: f64) -> String {
    if s >= 3600.0 {
        format!("{}:{:02}:{:02}", s as u64 / 3600, s as u64 / 60 % 60, s as u64 % 60)
    } else if s >= 60.0 {
        format!("{}:{:02}", s as u64 / 60, s as u64 % 60)
    } else {
        format!("{s:.0}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars() {
        let p = ProgressBar::new(1875);
        assert_eq!(p.bar(0), format!("   0/1875 [>{}]", ".".repeat(29)));
        assert_eq!(p.bar(912), format!(" 912/1875 [{}>{}]", "=".repeat(13), ".".repeat(16)));
        assert_eq!(p.bar(1875), format!("1875/1875 [{}]", "=".repeat(30)));
        assert_eq!(seconds(3.4), "3s");
        assert_eq!(seconds(75.0), "1:15");
    }
}
