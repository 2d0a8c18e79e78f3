//! `Model::summary()`: Keras 3's table for a Functional model, with the "Connected to" column
//! (`dense[0][0]`: the layer's first application, its first output).

use super::functional::Model;
use super::summary::{size, thousands};

impl Model {
    /// The summary table as a string (see [`summary`](Model::summary)).
    pub fn summary_string(&self) -> String {
        let g = &self.graph;
        let widths = [25usize, 20, 11, 27];
        let fit = |s: &str, w: usize| {
            if s.chars().count() > w {
                format!("{}…", s.chars().take(w - 1).collect::<String>())
            } else {
                s.to_string()
            }
        };
        let row = |cells: [Vec<String>; 4], l: &str, m: &str, r: &str| {
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1);
            let mut s = String::new();
            for k in 0..lines {
                s += l;
                for (i, (c, &w)) in cells.iter().zip(&widths).enumerate() {
                    let c = fit(c.get(k).map(String::as_str).unwrap_or(""), w - 2);
                    s += &if i == 2 {
                        format!(" {c:>w$} ", w = w - 2)
                    } else {
                        format!(" {c:<w$} ", w = w - 2)
                    };
                    s += if i < 3 { m } else { r };
                }
                s += "\n";
            }
            s
        };
        let line = |l: &str, f: &str, m: &str, r: &str| {
            let parts: Vec<String> = widths.iter().map(|&w| f.repeat(w)).collect();
            format!("{l}{}{r}\n", parts.join(m))
        };
        let shape = |sh: &[usize]| format!("(None, {})", super::dims(sh));
        // Node names for "Connected to": input name, or layer name[application][0].
        let mut node_names: Vec<String> = g.inputs.iter().map(|i| format!("{}[0][0]", i.name)).collect();
        let mut uses = vec![0usize; g.layers.len()];
        for st in &g.steps {
            let li = g.layers.iter().position(|l| l.same(&st.layer)).expect("listed");
            node_names.push(format!("{}[{}][0]", st.layer.name(), uses[li]));
            uses[li] += 1;
        }
        let mut s = format!("Model: \"{}\"\n", self.name);
        s += &line("┏", "━", "┳", "┓");
        s += &row(
            ["Layer (type)", "Output Shape", "Param #", "Connected to"].map(|c| vec![c.to_string()]),
            "┃",
            "┃",
            "┃",
        );
        s += &line("┡", "━", "╇", "┩");
        let mut rows = vec![];
        for i in &g.inputs {
            rows.push([
                vec![i.name.clone(), "(InputLayer)".into()],
                vec![shape(&i.shape)],
                vec!["0".into()],
                vec!["-".into()],
            ]);
        }
        for l in &g.layers {
            let steps: Vec<_> = g.steps.iter().filter(|st| st.layer.same(l)).collect();
            let layer = l.0.borrow();
            let params =
                layer.param_count() + layer.non_trainable_weights().iter().map(|w| w.1.len()).sum::<usize>();
            let mut shapes: Vec<String> = steps.iter().map(|st| shape(&st.shape)).collect();
            shapes.dedup();
            let connected: Vec<String> =
                steps.iter().flat_map(|st| st.args.iter().map(|&a| node_names[a].clone())).collect();
            rows.push([
                vec![layer.name().to_string(), format!("({})", layer.class_name())],
                shapes,
                vec![thousands(params)],
                connected,
            ]);
        }
        let n = rows.len();
        for (k, r) in rows.into_iter().enumerate() {
            s += &row(r, "│", "│", "│");
            if k + 1 < n {
                s += &line("├", "─", "┼", "┤");
            }
        }
        s += &line("└", "─", "┴", "┘");
        let trainable: usize = self.trainable_weights().iter().map(|w| w.len()).sum();
        let fixed = self.non_trainable_count();
        let total = trainable + fixed;
        s += &format!(" Total params: {} ({})\n", thousands(total), size(total));
        s += &format!(" Trainable params: {} ({})\n", thousands(trainable), size(trainable));
        s += &format!(" Non-trainable params: {} ({})\n", thousands(fixed), size(fixed));
        s
    }

    /// Prints the table: each input and layer (a shared layer once), its output shape, its number of
    /// weights, and the layers it takes its inputs from; then the totals.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let inputs = Input::new(&[784]);
    /// let x = Dense::new(10).apply(&inputs).unwrap();
    /// let s = Model::new(&[inputs], &[x]).unwrap().summary_string();
    /// assert!(s.contains("Connected to") && s.contains("input_layer[0][0]"));
    /// assert!(s.contains("Total params: 7,850 (30.66 KB)"));
    /// ```
    pub fn summary(&self) {
        print!("{}", self.summary_string());
    }
}

impl std::fmt::Debug for Model {
    /// The summary table.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary_string())
    }
}
