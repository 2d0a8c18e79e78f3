//! The notebook's custom layer (notebooks/lecture4/60-custom-and-tape.txt), its code copied as is:
//! a type implementing `Layer` with `build` (weights from `add_weight`) and `call`, used in a `Model`
//! and a `Sequential` like any built-in layer.

use nnlab::prelude::*;

// ---- the notebook cell, verbatim ----
#[derive(Default)]
struct CustomDense {
    units: usize,
    activation: Activation,
    base: LayerBase,
    w: Tensor,
    b: Tensor,
}

impl CustomDense {
    fn new(units: usize, activation: &str) -> Result<CustomDense> {
        Ok(CustomDense { units, activation: activations::get(activation)?, ..Default::default() })
    }
}

impl Layer for CustomDense {
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }

    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        self.w = self.base.add_weight(&[input_shape[0], self.units], "random_normal", true)?;
        self.b = self.base.add_weight(&[self.units], "zeros", true)?;
        Ok(vec![self.units])
    }

    fn call(&self, inputs: &Tensor, _training: bool) -> Result<Tensor> {
        Ok(self.activation.call(&inputs.matmul(&self.w)?.add(&self.b)?))
    }
}
// ---- end of the cell ----

/// A layer whose `call` does not return what `build` announced.
#[derive(Default)]
struct Broken {
    base: LayerBase,
}

impl Layer for Broken {
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        Ok(vec![input_shape[0] + 1])
    }
    fn call(&self, inputs: &Tensor, _training: bool) -> Result<Tensor> {
        Ok(inputs.clone())
    }
}

#[test]
fn custom_dense_in_a_functional_model_trains() {
    let (x, y) = (
        Array2::from_shape_fn((64, 4), |(i, j)| ((i * 7 + j * 3) % 10) as f32 / 10.0),
        Array2::from_shape_fn((64, 2), |(i, j)| (((i * 7) % 10 >= 5) as usize == j) as u8 as f32),
    );
    let inputs = Input::new(&[4]);
    let h = Flatten::new().apply(&inputs).unwrap();
    let h = CustomDense::new(16, "relu").unwrap().apply(&h).unwrap();
    let outputs = CustomDense::new(2, "softmax").unwrap().apply(&h).unwrap();
    let mut model = Model::new(&[inputs], &[outputs]).unwrap();
    let s = model.summary_string();
    assert!(s.contains("custom_dense (CustomDense)") || s.contains("custom_dense"), "{s}");
    assert!(s.contains("custom_dense_1"), "{s}");
    assert_eq!(model.trainable_weights().len(), 4);
    model.compile("adam", "categorical_crossentropy", &["accuracy"]).unwrap();
    let h = model.fit(&x, &y, Fit::default().epochs(60).batch_size(16).verbose(0)).unwrap();
    assert!(h["loss"].last().unwrap() < &(h["loss"][0] * 0.7), "{:?}", h["loss"]);

    // The same layer in a Sequential; built again for the same shape it keeps its weights.
    let mut seq = Sequential::new(layers![CustomDense::new(3, "tanh").unwrap()]);
    seq.build(&[4]).unwrap();
    let w = seq.get_weights();
    seq.build(&[4]).unwrap();
    assert_eq!(seq.get_weights(), w);
    assert_eq!(seq.predict(&x).unwrap().shape(), &[64, 3]);
    assert!(seq.summary_string().contains("custom_dense (CustomDense)"));
}

#[test]
fn custom_layer_errors() {
    // Applied to another input size than it was built for.
    let layer = Shared::new(CustomDense::new(2, "relu").unwrap());
    let a = Input::new(&[3]);
    let out = layer.apply(&a).unwrap();
    Model::new(&[a], &[out]).unwrap();
    let b = Input::new(&[5]);
    let out = layer.apply(&b).unwrap();
    let e = Model::new(&[b], &[out]).unwrap_err().to_string();
    assert!(e.contains("already built"), "{e}");
    // An unknown activation: the error comes from new, as Keras' from __init__, and names the known ones.
    let e = CustomDense::new(2, "reul").err().unwrap().to_string();
    assert!(e.contains("reul") && e.contains("relu"), "{e}");
    // A call that returns the wrong shape.
    let i = Input::new(&[3]);
    let o = Broken::default().apply(&i).unwrap();
    let model = Model::new(&[i], &[o]).unwrap();
    let e = model.call(&Tensor::new(ArrayD::zeros(vec![2, 3])), false).unwrap_err().to_string();
    assert!(e.contains("[2, 4]") && e.contains("[2, 3]") && e.contains("Broken"), "{e}");
    let mut s = Sequential::new(vec![Broken::default().into()]);
    s.build(&[3]).unwrap();
    assert!(s.predict(&Array2::<f32>::zeros((2, 3))).is_err());
}
