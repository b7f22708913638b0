//! The one ANSI painter every text view uses (the text report here, and the binary's `kb`,
//! `explain` and `collect --list-sources` views), on [`anstyle`] styles.
//!
//! Renderers return `String`s and never look at the terminal, so whether to colour is decided
//! once by the caller (`--color` / `NO_COLOR` / is-a-terminal, in the binary's `cli::color_for`)
//! and passed in as a `bool`; anstream's auto-detecting writer is therefore not needed here.
//! Empty strings are left bare (no escape pair around nothing).
//!
//! ```
//! use hnsdoctor_report::paint::{Painter, RED};
//! assert_eq!(Painter::new(true).paint(RED.bold(), "x"), "\x1b[1m\x1b[31mx\x1b[0m");
//! assert_eq!(Painter::new(false).paint(RED.bold(), "x"), "x");
//! ```

pub use anstyle::Style;
use anstyle::{AnsiColor, Color};

/// Bold.
pub const BOLD: Style = Style::new().bold();
/// Dimmed (secondary text).
pub const DIM: Style = Style::new().dimmed();
/// Red foreground (errors).
pub const RED: Style = fg(AnsiColor::Red);
/// Green foreground (passed, fixed).
pub const GREEN: Style = fg(AnsiColor::Green);
/// Yellow foreground (warnings).
pub const YELLOW: Style = fg(AnsiColor::Yellow);
/// Cyan foreground (info, commands).
pub const CYAN: Style = fg(AnsiColor::Cyan);

const fn fg(c: AnsiColor) -> Style {
    Style::new().fg_color(Some(Color::Ansi(c)))
}

/// Paints strings with a [`Style`] when colours are on, and returns them unchanged otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Painter {
    on: bool,
}

impl Painter {
    /// A painter that colours when `on`.
    #[must_use]
    pub const fn new(on: bool) -> Self {
        Self { on }
    }

    /// `s` in `style` (followed by a reset), or `s` itself when colours are off or `s` is empty.
    #[must_use]
    pub fn paint(&self, style: Style, s: &str) -> String {
        if self.on && !s.is_empty() {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_match_the_classic_sgr_codes() {
        let p = Painter::new(true);
        assert_eq!(p.paint(BOLD, "a"), "\x1b[1ma\x1b[0m");
        assert_eq!(p.paint(DIM, "a"), "\x1b[2ma\x1b[0m");
        assert_eq!(p.paint(YELLOW.bold(), "a"), "\x1b[1m\x1b[33ma\x1b[0m");
        assert_eq!(p.paint(GREEN, "a"), "\x1b[32ma\x1b[0m");
        assert_eq!(p.paint(CYAN, ""), "");
        assert_eq!(Painter::new(false).paint(CYAN, "a"), "a");
    }
}
