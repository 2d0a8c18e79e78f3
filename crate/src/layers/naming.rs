//! Keras' default layer names: the class name in snake case, numbered when taken (`dense`, `dense_1`).

/// Keras' `to_snake_case` of a class name: an underscore before each capital that starts a word
/// (`BatchNormalization` → `batch_normalization`), none inside a run of capitals (`LSTM` → `lstm`,
/// `GRUCell` → `gru_cell`), none before a digit (`Conv2D` → `conv2d`): Keras' two regular
/// expressions `(.)([A-Z][a-z]+)` → `\1_\2` and `([a-z])([A-Z])` → `\1_\2`, then lower case.
pub(crate) fn snake(class: &str) -> String {
    let chars: Vec<char> = class.chars().collect();
    let mut s = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let after_lower = chars[i - 1].is_lowercase();
            let starts_word = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if after_lower || starts_word {
                s.push('_');
            }
        }
        s.extend(c.to_lowercase());
    }
    s
}

/// `base`, or `base_1`, `base_2`, ... : the first name not in `taken`, which it joins.
pub(crate) fn unique(base: &str, taken: &mut Vec<String>) -> String {
    let mut name = base.to_string();
    let mut k = 1;
    while taken.contains(&name) {
        name = format!("{base}_{k}");
        k += 1;
    }
    taken.push(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_follows_keras() {
        let cases = [
            ("Dense", "dense"),
            ("BatchNormalization", "batch_normalization"),
            ("LSTM", "lstm"),
            ("Lstm", "lstm"),
            ("GRUCell", "gru_cell"),
            ("Conv2D", "conv2d"),
            ("GlobalAveragePooling2D", "global_average_pooling2d"),
            ("CustomDense", "custom_dense"),
            ("Dense2Layer", "dense2_layer"),
            ("Conv2DTranspose", "conv2d_transpose"),
        ];
        for (class, name) in cases {
            assert_eq!(snake(class), name, "{class}");
        }
    }

    #[test]
    fn unique_numbers_taken_names() {
        let mut taken = vec![];
        assert_eq!(unique("dense", &mut taken), "dense");
        assert_eq!(unique("dense", &mut taken), "dense_1");
        assert_eq!(unique("dense", &mut taken), "dense_2");
        assert_eq!(taken, ["dense", "dense_1", "dense_2"]);
    }
}
