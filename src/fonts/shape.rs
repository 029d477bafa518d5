//! Shaping: text in one face → glyph ids with advances and offsets in ems, via harfrust.
//!
//! Layout shapes every word of a book, often more than once while it breaks lines, so the
//! per-call cost matters more than anything else here. Three things are kept between
//! calls: the font's parsed layout tables (harfrust caches them inside the `Font`), one
//! shape plan per combination of script, direction and features (compiling a plan walks
//! GSUB and GPOS, and costs far more than shaping a word), and the shaping buffer, one per
//! thread, whose allocation is reused. A call then allocates nothing unless `out` grows.

use std::cell::Cell;
use std::sync::{Arc, Mutex, PoisonError};

use harfrust::{Buffer, Direction, Feature, Script, ShapeOptions, ShapePlan, ShaperFont, Tag};

use super::{Face, ShapedGlyph};

/// A feature setting: an OpenType tag and its value (0 turns a default feature off, 1
/// turns a feature on).
pub(crate) type Setting = ([u8; 4], u32);

thread_local! {
    /// The shaping buffer, lent out for the length of one call. A `Cell<Option<_>>` rather
    /// than a `RefCell` so that a (theoretical) nested call gets a fresh buffer instead of
    /// a borrow panic.
    static BUFFER: Cell<Option<Buffer>> = const { Cell::new(None) };
}

/// A face's shaping state: its compiled shape plans.
pub(super) struct Shaper {
    plans: Mutex<Vec<Arc<CachedPlan>>>,
}

/// A shape plan and the segment properties and features it was compiled for.
struct CachedPlan {
    script: Option<Script>,
    direction: Direction,
    settings: Vec<Setting>,
    /// `settings` as harfrust wants them, built once with the plan.
    features: Vec<Feature>,
    plan: ShapePlan,
}

impl Shaper {
    pub(super) fn new() -> Shaper {
        Shaper { plans: Mutex::new(Vec::new()) }
    }

    /// Shapes `text` in `face` with the font's default features (which include kerning and
    /// standard ligatures) plus `extra`, each turned on, appending to `out`.
    pub(super) fn shape(&self, face: &Face, text: &str, extra: &[[u8; 4]], out: &mut Vec<ShapedGlyph>) {
        // Settings are few (one or two tags); a small stack array keeps the common call
        // free of allocation.
        let mut settings = [([0; 4], 0); 8];
        if extra.len() <= settings.len() {
            for (slot, tag) in settings.iter_mut().zip(extra) {
                *slot = (*tag, 1);
            }
            self.shape_settings(face, text, &settings[..extra.len()], out);
        } else {
            let settings: Vec<Setting> = extra.iter().map(|tag| (*tag, 1)).collect();
            self.shape_settings(face, text, &settings, out);
        }
    }

    /// Shapes with explicit feature settings, which can also turn default features off.
    pub(super) fn shape_settings(&self, face: &Face, text: &str, settings: &[Setting], out: &mut Vec<ShapedGlyph>) {
        if text.is_empty() {
            return;
        }
        let mut buffer = BUFFER.with(Cell::take).unwrap_or_default();
        buffer.clear();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let plan = self.plan(face, buffer.script(), buffer.direction(), settings);
        let font = ShaperFont::new(&face.font);
        let options = ShapeOptions::new().plan(Some(&plan.plan)).features(&plan.features);
        match harfrust::shape(&font, &mut buffer, options) {
            Ok(()) => {
                let em = f32::from(face.units_per_em);
                out.reserve(buffer.len());
                for (info, pos) in buffer.glyph_infos().iter().zip(buffer.glyph_positions()) {
                    out.push(ShapedGlyph {
                        // Glyph ids come from the font, whose ids fit in 16 bits.
                        id: u16::try_from(info.glyph_id).unwrap_or(0),
                        cluster: info.cluster,
                        x_advance: pos.x_advance as f32 / em,
                        x_offset: pos.x_offset as f32 / em,
                        y_offset: pos.y_offset as f32 / em,
                    });
                }
            }
            Err(err) => {
                // The buffer is fresh and the plan was made for its script and direction,
                // so harfrust has nothing to refuse. Should that change, text still comes
                // out, one nominal glyph per character, without ligatures or kerning.
                debug_assert!(false, "harfrust refused to shape {text:?}: {err:?}");
                for (i, c) in text.char_indices() {
                    let id = face.glyph_for_char(c).unwrap_or(0);
                    out.push(ShapedGlyph {
                        id,
                        cluster: u32::try_from(i).unwrap_or(u32::MAX),
                        x_advance: face.advance(id),
                        x_offset: 0.0,
                        y_offset: 0.0,
                    });
                }
            }
        }
        BUFFER.with(|cell| cell.set(Some(buffer)));
    }

    /// The cached plan for these properties, compiled on first use.
    fn plan(&self, face: &Face, script: Option<Script>, direction: Direction, settings: &[Setting]) -> Arc<CachedPlan> {
        // A poisoned lock only means another thread panicked while holding it; the list
        // itself is always in a consistent state.
        let mut plans = self.plans.lock().unwrap_or_else(PoisonError::into_inner);
        let found = plans.iter().find(|p| p.script == script && p.direction == direction && p.settings == settings);
        if let Some(plan) = found {
            return Arc::clone(plan);
        }
        let features: Vec<Feature> =
            settings.iter().map(|(tag, value)| Feature::new(Tag::new(tag), *value, ..)).collect();
        let plan = ShapePlan::new(&face.font, direction, script, None, &features);
        let cached = Arc::new(CachedPlan { script, direction, settings: settings.to_vec(), features, plan });
        plans.push(Arc::clone(&cached));
        cached
    }
}
