//! The executable form of a Functional model: the layer graph between `Input`s and outputs, sorted so
//! that every layer comes after the layers it takes inputs from, and built (weights created, shapes
//! known). [`GraphLayer`] wraps it as one [`Layer`] so that `Sequential`'s training loop trains it.

use crate::layers::input::{KerasTensor, SymKind};
use crate::layers::naming::{snake, unique};
use crate::layers::{build_layer, call_layer, Layer, LayerBase, Shared};
use crate::tensor::Tensor;
use crate::{Error, Result};
use std::collections::HashMap;
use std::rc::Rc;

/// A model input: name, shape (without batch), dtype.
pub(crate) struct InputSpec {
    pub(crate) name: String,
    pub(crate) shape: Vec<usize>,
    pub(crate) dtype: String,
}

/// One layer application: the layer, the graph nodes it reads, its output shape.
pub(crate) struct Step {
    pub(crate) layer: Shared,
    pub(crate) args: Vec<usize>,
    pub(crate) shape: Vec<usize>,
}

/// Nodes `0..inputs.len()` are the inputs; node `inputs.len() + k` is `steps[k]`'s output.
pub(crate) struct Graph {
    pub(crate) inputs: Vec<InputSpec>,
    pub(crate) steps: Vec<Step>,
    pub(crate) outputs: Vec<usize>,
    /// Each layer once, in order of first use.
    pub(crate) layers: Vec<Shared>,
}

impl Graph {
    /// Sorts, names and builds the graph from `inputs` to `outputs`, drawing weights from `seed`.
    pub(crate) fn new(inputs: &[KerasTensor], outputs: &[KerasTensor], seed: u64) -> Result<Graph> {
        let op = "Model";
        if inputs.is_empty() || outputs.is_empty() {
            return Err(Error::shape(
                op,
                "at least one input and one output",
                format!("{} and {}", inputs.len(), outputs.len()),
            ));
        }
        let mut index: HashMap<*const _, usize> = HashMap::new();
        let mut taken = vec![];
        let mut specs = vec![];
        for (i, x) in inputs.iter().enumerate() {
            let SymKind::Input { shape, name, dtype } = &x.0.kind else {
                return Err(Error::value(
                    op,
                    "inputs made by Input::new",
                    format!("input {i} is a layer's output"),
                ));
            };
            let dtype = dtype.borrow().clone();
            if !["float32", "int32", "int64"].contains(&dtype.as_str()) {
                return Err(Error::unknown_name(op, "dtype", &dtype, &["float32", "int32", "int64"]));
            }
            let base =
                if name.borrow().is_empty() { "input_layer".to_string() } else { name.borrow().clone() };
            let name = unique(&base, &mut taken);
            if index.insert(x.key(), i).is_some() {
                return Err(Error::value(op, "distinct inputs", format!("input {i} is given twice")));
            }
            specs.push(InputSpec { name, shape: shape.clone(), dtype });
        }
        // Depth-first from the outputs: a node is placed after all of its arguments.
        let mut order: Vec<KerasTensor> = vec![];
        let mut stack: Vec<(KerasTensor, bool, usize)> =
            outputs.iter().enumerate().rev().map(|(k, o)| (o.clone(), false, k)).collect();
        while let Some((t, args_done, out_k)) = stack.pop() {
            if index.contains_key(&t.key()) {
                continue;
            }
            match &t.0.kind {
                SymKind::Input { name, .. } => {
                    return Err(Error::value(
                        op,
                        "outputs computed from the given inputs",
                        format!(
                            "output {out_k} depends on an Input {:?} that is not in the inputs list",
                            name.borrow()
                        ),
                    ))
                }
                SymKind::Layer(_) if args_done => {
                    index.insert(t.key(), specs.len() + order.len());
                    order.push(t);
                }
                SymKind::Layer(_) => {
                    stack.push((t.clone(), true, out_k));
                    for a in t.0.inputs.iter().rev() {
                        stack.push((a.clone(), false, out_k));
                    }
                }
            }
        }
        let mut layers: Vec<Shared> = vec![];
        for t in &order {
            let SymKind::Layer(l) = &t.0.kind else { unreachable!("inputs are indexed above") };
            if !layers.iter().any(|m| m.same(l)) {
                let mut layer = l.0.borrow_mut();
                if layer.name().is_empty() {
                    let name = unique(&snake(layer.class_name()), &mut taken);
                    layer.set_name(&name);
                } else {
                    taken.push(layer.name().to_string());
                }
                layers.push(l.clone());
            }
        }
        let mut shapes: Vec<Vec<usize>> = specs.iter().map(|s| s.shape.clone()).collect();
        let mut steps = vec![];
        for (k, t) in order.iter().enumerate() {
            let SymKind::Layer(l) = &t.0.kind else { unreachable!() };
            let args: Vec<usize> = t.0.inputs.iter().map(|a| index[&a.key()]).collect();
            let in_shapes: Vec<Vec<usize>> = args.iter().map(|&a| shapes[a].clone()).collect();
            let layer_seed = seed.wrapping_mul(1_000_003).wrapping_add(2 * k as u64);
            let shape = build_layer(&mut **l.0.borrow_mut(), &in_shapes, layer_seed)?;
            shapes.push(shape.clone());
            steps.push(Step { layer: l.clone(), args, shape });
        }
        let outputs = outputs.iter().map(|o| index[&o.key()]).collect();
        Ok(Graph { inputs: specs, steps, outputs, layers })
    }

    /// The shape (without batch) of node `i`.
    pub(crate) fn shape(&self, i: usize) -> &[usize] {
        match i.checked_sub(self.inputs.len()) {
            None => &self.inputs[i].shape,
            Some(k) => &self.steps[k].shape,
        }
    }

    /// The outputs for the inputs `xs` (one batch tensor per input, in order).
    pub(crate) fn run(&self, xs: &[Tensor], training: bool) -> Result<Vec<Tensor>> {
        if xs.len() != self.inputs.len() {
            return Err(Error::shape(
                "Model.call",
                format!("{} input tensors", self.inputs.len()),
                format!("{}", xs.len()),
            ));
        }
        for (x, spec) in xs.iter().zip(&self.inputs) {
            if x.ndim() == 0 || x.shape()[1..] != spec.shape[..] {
                return Err(Error::shape(
                    format!("Model input {:?}", spec.name),
                    format!("a batch of shape [batch, {}]", super::dims(&spec.shape)),
                    format!("{:?}", x.shape()),
                ));
            }
        }
        let mut values: Vec<Tensor> = xs.to_vec();
        for step in &self.steps {
            let args: Vec<Tensor> = step.args.iter().map(|&a| values[a].clone()).collect();
            values.push(call_layer(&**step.layer.0.borrow(), &args, training)?);
        }
        Ok(self.outputs.iter().map(|&o| values[o].clone()).collect())
    }

    /// Number of numbers per example of input `i` (its flattened size).
    pub(crate) fn input_size(&self, i: usize) -> usize {
        self.inputs[i].shape.iter().product()
    }
}

/// A Functional model's graph as one layer: one input as it is, or several inputs packed side by
/// side in one `[batch, Σ sizes]` matrix (cut apart again in `call`); one output.
pub(crate) struct GraphLayer {
    pub(crate) graph: Rc<Graph>,
    base: LayerBase,
}

impl GraphLayer {
    pub(crate) fn new(graph: Rc<Graph>) -> GraphLayer {
        GraphLayer { graph, base: LayerBase::named("functional") }
    }

    /// The input shape the layer takes: the only input's, or the packed width.
    pub(crate) fn packed_shape(&self) -> Vec<usize> {
        match &self.graph.inputs[..] {
            [one] => one.shape.clone(),
            many => vec![(0..many.len()).map(|i| self.graph.input_size(i)).sum()],
        }
    }

    /// The model's inputs cut out of a packed batch.
    pub(crate) fn unpack(&self, x: &Tensor) -> Result<Vec<Tensor>> {
        if self.graph.inputs.len() == 1 {
            return Ok(vec![x.clone()]);
        }
        let b = x.shape()[0] as isize;
        let mut start = 0;
        let mut xs = vec![];
        for (i, spec) in self.graph.inputs.iter().enumerate() {
            let n = self.graph.input_size(i);
            let mut shape = vec![b];
            shape.extend(spec.shape.iter().map(|&d| d as isize));
            xs.push(x.narrow(1, start, start + n)?.reshape(&shape)?);
            start += n;
        }
        Ok(xs)
    }
}

impl Layer for GraphLayer {
    fn class_name(&self) -> &'static str {
        "Functional"
    }
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }
    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        Some(self.packed_shape())
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        let expected = self.packed_shape();
        if input_shape != expected {
            return Err(Error::shape(
                "Model",
                format!("inputs [batch, {}]", super::dims(&expected)),
                format!("[batch, {}]", super::dims(input_shape)),
            ));
        }
        match &self.graph.outputs[..] {
            [o] => Ok(self.graph.shape(*o).to_vec()),
            many => Ok(vec![many.iter().map(|&o| self.graph.shape(o).iter().product::<usize>()).sum()]),
        }
    }
    fn call(&self, x: &Tensor, training: bool) -> Result<Tensor> {
        let outs = self.graph.run(&self.unpack(x)?, training)?;
        match &outs[..] {
            [one] => Ok(one.clone()),
            many => {
                let flat = many
                    .iter()
                    .map(|t| t.reshape(&[t.shape()[0] as isize, -1]))
                    .collect::<Result<Vec<_>>>()?;
                Tensor::concat(&flat, 1)
            }
        }
    }
    fn named_weights(&self) -> Vec<(String, Tensor)> {
        prefixed_weights(&self.graph, |l| l.named_weights())
    }
    fn non_trainable_weights(&self) -> Vec<(String, Tensor)> {
        prefixed_weights(&self.graph, |l| l.non_trainable_weights())
    }
    fn trained_weights(&self) -> Vec<(String, Tensor)> {
        prefixed_weights(&self.graph, |l| l.trained_weights())
    }
    fn regularization_loss(&self) -> Option<Tensor> {
        self.graph
            .layers
            .iter()
            .filter_map(|l| l.0.borrow().regularization_loss())
            .reduce(|a, b| a.add(&b).expect("scalars"))
    }
}

/// Every layer's weights picked by `pick`, named `"layer_name/weight_name"` like Keras' weight paths.
fn prefixed_weights(g: &Graph, pick: impl Fn(&dyn Layer) -> Vec<(String, Tensor)>) -> Vec<(String, Tensor)> {
    g.layers
        .iter()
        .flat_map(|l| {
            let l = l.0.borrow();
            pick(&**l).into_iter().map(|(n, w)| (format!("{}/{n}", l.name()), w)).collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::layers::{BatchNormalization, Dense, Input, Layer};
    use crate::models::Model;

    #[test]
    fn graph_weights_are_named_layer_slash_weight() {
        let inputs = Input::new(&[3]);
        let x = Dense::new(2).name("d").apply(&inputs).unwrap();
        let x = crate::layers::Shared::new(BatchNormalization::new()).apply(&x).unwrap();
        let m = Model::new(&[inputs], &[x]).unwrap();
        let g = &m.inner.layers[0];
        let names = |w: Vec<(String, crate::tensor::Tensor)>| w.into_iter().map(|p| p.0).collect::<Vec<_>>();
        let trainable = names(g.named_weights());
        assert!(trainable.contains(&"d/kernel".to_string()) && trainable.contains(&"d/bias".to_string()));
        let fixed = names(g.non_trainable_weights());
        assert_eq!(fixed.len(), 2, "{fixed:?}");
        assert!(fixed.iter().all(|n| n.contains("/moving_")), "{fixed:?}");
    }
}
