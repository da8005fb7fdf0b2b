//! pass^k, as τ-bench defines it: the chance that *all* of k independent runs of a case pass,
//! estimated without bias from n ≥ k runs with c passes as C(c, k) / C(n, k), and averaged
//! over cases. pass^1 is the plain pass rate; pass^k falls as k grows unless the agent is
//! consistent, which is what a clinic needs from it.

/// pass^k for one case run `n` times with `c` passes; `None` when k is 0 or more than n.
pub fn case_pass_hat(n: u32, c: u32, k: u32) -> Option<f64> {
    if k == 0 || k > n || c > n {
        return None;
    }
    // C(c, k) / C(n, k) = Π_{i<k} (c − i) / (n − i): no factorials to overflow.
    Some((0..k).map(|i| f64::from(c.saturating_sub(i)) / f64::from(n - i)).product())
}

/// pass^k for k = 1…K over cases given as (runs, passes), each case run K times. Cases run
/// fewer than k times do not count towards pass^k; a k no case reached is left out.
pub fn pass_hat_ks(cases: &[(u32, u32)], max_k: u32) -> Vec<PassHatK> {
    (1..=max_k)
        .filter_map(|k| {
            let values: Vec<f64> = cases.iter().filter_map(|&(n, c)| case_pass_hat(n, c, k)).collect();
            (!values.is_empty())
                .then(|| PassHatK { k, value: values.iter().sum::<f64>() / values.len() as f64 })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PassHatK {
    pub k: u32,
    pub value: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn pass_hat_1_is_the_pass_rate() {
        assert!(close(case_pass_hat(4, 3, 1).unwrap(), 0.75));
        assert!(close(case_pass_hat(1, 0, 1).unwrap(), 0.0));
    }

    #[test]
    fn pass_hat_k_is_c_choose_k_over_n_choose_k() {
        // C(3,2)/C(4,2) = 3/6; C(3,3)/C(4,3) = 1/4; C(3,4)/C(4,4) = 0.
        assert!(close(case_pass_hat(4, 3, 2).unwrap(), 0.5));
        assert!(close(case_pass_hat(4, 3, 3).unwrap(), 0.25));
        assert!(close(case_pass_hat(4, 3, 4).unwrap(), 0.0));
        // C(8,3)/C(10,3) = 56/120.
        assert!(close(case_pass_hat(10, 8, 3).unwrap(), 56.0 / 120.0));
    }

    #[test]
    fn a_case_that_always_passes_or_never_passes_is_constant_in_k() {
        for k in 1..=5 {
            assert!(close(case_pass_hat(5, 5, k).unwrap(), 1.0));
            assert!(close(case_pass_hat(5, 0, k).unwrap(), 0.0));
        }
    }

    #[test]
    fn k_outside_one_to_n_has_no_value() {
        assert_eq!(case_pass_hat(3, 2, 0), None);
        assert_eq!(case_pass_hat(3, 2, 4), None);
        assert_eq!(case_pass_hat(3, 4, 1), None);
    }

    #[test]
    fn the_suite_value_is_the_mean_over_cases() {
        // Case A: 3/3 passes; case B: 1/3 passes.
        let ks = pass_hat_ks(&[(3, 3), (3, 1)], 3);
        let values: Vec<(u32, f64)> = ks.iter().map(|p| (p.k, p.value)).collect();
        assert_eq!(values.len(), 3);
        assert!(close(values[0].1, (1.0 + 1.0 / 3.0) / 2.0));
        assert!(close(values[1].1, 0.5));
        assert!(close(values[2].1, 0.5));
        assert!(ks.windows(2).all(|w| w[0].value >= w[1].value), "pass^k never rises with k");
    }
}
