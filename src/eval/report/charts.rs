//! Inline SVG charts for the HTML report: no scripts, no external files, readable when the
//! page is saved or attached to a CI run.

use std::fmt::Write as _;

use super::html::escape;

/// One bar: a label, a value from 0 to 1, and the text shown beside the bar.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub note: String,
}

const WIDTH: u32 = 700;
const LABEL: u32 = 190;
/// Room right of the bars for "100% (12/12 cases)".
const NOTE: u32 = 150;
const ROW: u32 = 24;

/// Horizontal bars of rates (pass rate per suite, per tag, pass^k), coloured by how good
/// they are.
pub fn rate_bars(title: &str, bars: &[Bar]) -> String {
    let height = 34 + ROW * u32::try_from(bars.len()).unwrap_or(0);
    let track = WIDTH - LABEL - NOTE;
    let mut svg = open(title, height);
    for (i, bar) in bars.iter().enumerate() {
        let y = 28 + ROW * u32::try_from(i).unwrap_or(0);
        let value = bar.value.clamp(0.0, 1.0);
        let filled = (f64::from(track) * value).round();
        let colour = if value >= 1.0 {
            "#2e7d32"
        } else if value >= 0.8 {
            "#f9a825"
        } else {
            "#c62828"
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{}\" width=\"{track}\" height=\"16\" fill=\"#eceff1\"/>\
             <rect x=\"{LABEL}\" y=\"{}\" width=\"{filled}\" height=\"16\" fill=\"{colour}\"><title>{}</title></rect>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            LABEL - 8,
            y + 13,
            escape(&bar.label),
            y,
            y,
            escape(&bar.note),
            LABEL + track + 6,
            y + 13,
            escape(&bar.note),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A histogram of `values` in up to `buckets` equal-width bins, labelled with `unit`.
pub fn histogram(title: &str, values: &[u64], unit: &str, buckets: u64) -> String {
    let height = 190;
    let mut svg = open(title, height);
    let (Some(&min), Some(&max)) = (values.iter().min(), values.iter().max()) else {
        svg.push_str("<text x=\"10\" y=\"50\">no data</text></svg>");
        return svg;
    };
    let buckets = buckets.max(1);
    let step = ((max - min) / buckets + 1).max(1);
    let bins = usize::try_from((max - min) / step + 1).unwrap_or(1);
    let mut counts = vec![0u32; bins];
    for value in values {
        let bin = usize::try_from((value - min) / step).unwrap_or(0).min(bins - 1);
        counts[bin] += 1;
    }
    let tallest = f64::from(counts.iter().copied().max().unwrap_or(1).max(1));
    let plot_height = 120.0;
    let bar_width = f64::from(WIDTH - 60) / bins as f64;
    for (i, count) in counts.iter().enumerate() {
        let h = plot_height * f64::from(*count) / tallest;
        let x = 40.0 + bar_width * i as f64;
        let from = min + step * i as u64;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#1565c0\"><title>{from}–{} {}: {count}</title></rect>",
            30.0 + plot_height - h,
            (bar_width - 2.0).max(1.0),
            from + step - 1,
            escape(unit),
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"40\" y1=\"150\" x2=\"{}\" y2=\"150\" stroke=\"#90a4ae\"/>\
         <text x=\"40\" y=\"168\">{min} {unit}</text>\
         <text x=\"{}\" y=\"168\" text-anchor=\"end\">{max} {unit}</text>\
         <text x=\"{}\" y=\"184\" text-anchor=\"middle\">{} values</text></svg>",
        WIDTH - 20,
        WIDTH - 20,
        WIDTH / 2,
        values.len(),
        unit = escape(unit),
    );
    svg
}

fn open(title: &str, height: u32) -> String {
    format!(
        "<svg role=\"img\" aria-label=\"{title}\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\
         <text x=\"4\" y=\"16\" font-weight=\"bold\" font-size=\"13\">{title}</text>",
        title = escape(title)
    )
}
