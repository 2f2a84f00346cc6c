//! Bar charts drawn on the server as SVG: no script, a few hundred bytes each, and
//! the same numbers in the table beside them for screen readers and copying.

use crate::Count;

const WIDTH: u32 = 560;
const LABEL: u32 = 200;
const ROW: u32 = 22;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Horizontal bars, one a row, scaled to the largest; empty when there is nothing.
pub(crate) fn bars(rows: &[Count]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let max = rows.iter().map(|r| r.value).max().unwrap_or(1).max(1);
    let height = ROW * u32::try_from(rows.len()).unwrap_or(u32::MAX / ROW).min(400);
    let span = u64::from(WIDTH - LABEL - 50);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-hidden=\"true\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" direction=\"ltr\">"
    );
    for (index, row) in rows.iter().take(400).enumerate() {
        let y = ROW * u32::try_from(index).unwrap_or(0);
        let length = row.value * span / max;
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{}\" width=\"{length}\" height=\"{}\" fill=\"#1f4e79\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            LABEL - 6,
            y + 15,
            escape(&row.label),
            y + 4,
            ROW - 8,
            u64::from(LABEL) + length + 4,
            y + 15,
            row.value
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_escape_labels() {
        let svg = bars(&[
            Count {
                label: "DNM <Mines>".to_owned(),
                value: 10,
            },
            Count {
                label: "DNG".to_owned(),
                value: 5,
            },
        ]);
        assert!(svg.contains("DNM &lt;Mines&gt;"));
        assert!(svg.contains("width=\"310\"") && svg.contains("width=\"155\""));
        assert!(bars(&[]).is_empty());
    }
}
