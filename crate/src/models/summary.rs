//! `summary()`: Keras 3's table of layers, output shapes and parameter counts.

use super::sequential::Sequential;

/// `1234567` → `"1,234,567"`.
pub(crate) fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes of `n` f32 parameters, as Keras prints them (`392.50 KB`).
pub(crate) fn size(n: usize) -> String {
    let b = (n * 4) as f64;
    match b {
        b if b >= 1024.0 * 1024.0 => format!("{:.2} MB", b / (1024.0 * 1024.0)),
        b if b >= 1024.0 => format!("{:.2} KB", b / 1024.0),
        b => format!("{b:.2} B"),
    }
}

/// `text` in lines of at most `width` characters, broken at spaces (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(last) if last.chars().count() + 1 + word.chars().count() <= width => {
                last.push(' ');
                last.push_str(word);
            }
            _ => {
                let chars: Vec<char> = word.chars().collect();
                lines.extend(chars.chunks(width.max(1)).map(|c| c.iter().collect::<String>()));
            }
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

impl Sequential {
    /// The summary table as a string (see [`summary`](Sequential::summary)).
    pub fn summary_string(&self) -> String {
        let widths = [33, 24, 15];
        // A cell too long for its column goes on as many lines as it takes: "name (Class)" breaks
        // before "(Class)", as Keras' table wraps it; the other cells stay on the first line.
        let row = |cells: [&str; 3], left: &str, mid: &str, right: &str| {
            let lines: Vec<Vec<String>> = cells.iter().zip(widths).map(|(c, w)| wrap(c, w - 2)).collect();
            let mut s = String::new();
            for k in 0..lines.iter().map(Vec::len).max().unwrap_or(1) {
                s += left;
                for (i, (c, w)) in lines.iter().zip(widths).enumerate() {
                    let c = c.get(k).map(String::as_str).unwrap_or("");
                    s += &if i == 2 {
                        format!(" {c:>w$} ", w = w - 2)
                    } else {
                        format!(" {c:<w$} ", w = w - 2)
                    };
                    s += if i < 2 { mid } else { right };
                }
                s += "\n";
            }
            s
        };
        let line = |l: &str, fill: &str, m: &str, r: &str| {
            format!(
                "{l}{}{m}{}{m}{}{r}\n",
                fill.repeat(widths[0]),
                fill.repeat(widths[1]),
                fill.repeat(widths[2])
            )
        };
        let mut s = format!("Model: \"{}\"\n", self.name);
        s += &line("┏", "━", "┳", "┓");
        s += &row(["Layer (type)", "Output Shape", "Param #"], "┃", "┃", "┃");
        s += &line("┡", "━", "╇", "┩");
        for (i, l) in self.layers.iter().enumerate() {
            let shape = match l.output_shape() {
                Some(sh) => {
                    format!("(None, {})", sh.iter().map(usize::to_string).collect::<Vec<_>>().join(", "))
                }
                None => "?".into(),
            };
            let params = if l.output_shape().is_some() {
                thousands(all_params(l.as_ref()))
            } else {
                "0 (unbuilt)".into()
            };
            s += &row([&format!("{} ({})", l.name(), l.class_name()), &shape, &params], "│", "│", "│");
            if i + 1 < self.layers.len() {
                s += &line("├", "─", "┼", "┤");
            }
        }
        s += &line("└", "─", "┴", "┘");
        let total = self.count_params();
        let trainable: usize = self.trainable_weights().iter().map(crate::tensor::Tensor::len).sum();
        s += &format!(" Total params: {} ({})\n", thousands(total), size(total));
        s += &format!(" Trainable params: {} ({})\n", thousands(trainable), size(trainable));
        s += &format!(
            " Non-trainable params: {} ({})\n",
            thousands(total - trainable),
            size(total - trainable)
        );
        s
    }

    /// Prints the table of layers: name (type), output shape (`None` is the batch), parameter count,
    /// and the totals (4 bytes per parameter).
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut m = Sequential::new(vec![Dense::new(10).input_shape(&[784]).into()]);
    /// m.compile("sgd", "mse", &[]).unwrap();
    /// let s = m.summary_string();
    /// assert!(s.contains("dense (Dense)"));
    /// assert!(s.contains("(None, 10)"));
    /// assert!(s.contains("Total params: 7,850 (30.66 KB)"));
    /// ```
    pub fn summary(&self) {
        print!("{}", self.summary_string());
    }
}

impl std::fmt::Debug for Sequential {
    /// The summary table (what a notebook cell ending with `model` shows).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary_string())
    }
}

/// A layer's weights, trainable or not, as Keras' summary counts them ("Param #").
pub(crate) fn all_params(layer: &dyn crate::layers::Layer) -> usize {
    layer.param_count() + layer.non_trainable_weights().iter().map(|(_, w)| w.len()).sum::<usize>()
}
