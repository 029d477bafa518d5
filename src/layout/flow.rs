//! The flow: the document's blocks → one list of lines and spaces for the paginator.
//!
//! Each kind of block is turned into lines here, with the vertical rhythm of the book:
//! body text on the baseline grid, headings and section breaks taking whole multiples of
//! the grid (so the text after them is back on it), block quotes in smaller type at their
//! own leading (the next body line snaps back), lists with hanging labels, simple tables,
//! code line by line. The keeps that pagination must honour are set here too: a heading
//! with two lines of what follows, a paragraph's first and penultimate lines against
//! orphans and widows.
//!
//! Paragraphs of running text are registered as *chunks*, so the paginator can ask for
//! one of them again one line longer or shorter ([`Flow::rebreak`]).

use crate::fonts::Style;
use crate::layout::collect::{collect, Collected};
use crate::layout::frame::{FrameItem, Point};
use crate::layout::geometry::Geometry;
use crate::layout::paginate::{Elem, HeadingMark, Keep, LineBox, Rebroken};
use crate::layout::paragraph::{Align, ParaStyle, Paragraph, SetLines, Setter};
use crate::layout::LayoutWarning;
use crate::model::{Align as ColumnAlign, Block, Footnote, Inline, ListItem, NoteId, Span};

/// Relative size of block quotations.
const QUOTE_SIZE: f32 = 0.9;
/// Relative size of code blocks.
const CODE_SIZE: f32 = 0.88;
/// Deepest nesting of quotes and lists that still indents further; deeper blocks are set
/// at this depth, so that absurd nesting cannot squeeze the measure to nothing.
const MAX_NEST: usize = 6;
/// Gap ratio beyond which a re-broken paragraph is refused. Above our 95th-percentile
/// target but safely below a loose line (1.5): a full page is worth a few lines set a
/// little open, and there are few such paragraphs in a book.
const MAX_REBREAK_GAP: f32 = 1.48;

/// A paragraph the paginator may re-break.
struct Chunk {
    para: Paragraph,
    /// Horizontal offset of its lines in the text block.
    x: f32,
    /// The keep of its first line (hard after a heading).
    keep_first: Keep,
    /// Its first line's extra items (a list label, a heading's anchor), kept across re-breaks.
    first_items: Vec<(Point, FrameItem)>,
    /// The demerits of its best breaking, to price the others.
    best: f64,
}

/// The setting of the blocks at hand.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    /// Left indent in the text block.
    x: f32,
    /// Line width.
    measure: f32,
    /// Type size.
    size: f32,
    /// Leading.
    leading: f32,
    /// Whether lines sit on the grid.
    grid: bool,
    /// Nesting depth of quotes and lists.
    depth: usize,
    /// Whether footnotes are being set (no chunks, no keeps).
    notes: bool,
}

/// The flow being built.
pub struct Flow<'g, 'f> {
    /// The page geometry.
    pub geom: &'g Geometry,
    /// The paragraph setter.
    pub setter: Setter<'f>,
    /// The lines and spaces, in reading order.
    pub elems: Vec<Elem>,
    chunks: Vec<Chunk>,
    /// Warnings found on the way.
    pub warnings: Vec<LayoutWarning>,
    /// Whether the next paragraph opens a section (no indent).
    fresh: bool,
    /// The keep the next line must carry (after a heading).
    keep_next: Keep,
    /// Items to add to the next line (a list label, a note's anchor), in text-block
    /// coordinates relative to that line's baseline.
    pending: Vec<(Point, FrameItem)>,
    /// Inter-word gap ratios of the justified body lines as first set, for measurement.
    pub gaps: Vec<f32>,
    /// Whether a list is being set (so a nested list gets no space around it).
    in_list: bool,
}

impl<'g, 'f> Flow<'g, 'f> {
    /// An empty flow.
    pub fn new(geom: &'g Geometry, setter: Setter<'f>) -> Flow<'g, 'f> {
        Flow {
            geom,
            setter,
            elems: Vec::new(),
            chunks: Vec::new(),
            warnings: Vec::new(),
            fresh: true,
            keep_next: Keep::None,
            pending: Vec::new(),
            gaps: Vec::new(),
            in_list: false,
        }
    }

    fn body_ctx(&self) -> Ctx {
        let g = self.geom;
        Ctx { x: 0.0, measure: g.measure, size: g.size, leading: g.leading, grid: true, depth: 0, notes: false }
    }

    /// Adds the document's body blocks.
    pub fn body(&mut self, blocks: &[Block]) {
        let ctx = self.body_ctx();
        for block in blocks {
            self.block(block, ctx);
        }
    }

    /// Sets each footnote as lines of its own, at the note size, its number first.
    pub fn notes(&mut self, notes: &[Footnote], size: f32, leading: f32) -> Vec<Vec<LineBox>> {
        let saved = std::mem::take(&mut self.elems);
        let ctx = Ctx { x: 0.0, measure: self.geom.measure, size, leading, grid: false, depth: 0, notes: true };
        let mut out = Vec::with_capacity(notes.len());
        for note in notes {
            self.fresh = true;
            self.keep_next = Keep::None;
            // The number links back to the (first) reference, and the note's anchor sits
            // at its start.
            let number = Inline::Link {
                url: format!("#fnref{}", note.number),
                title: None,
                content: vec![Inline::Text(note.number.to_string())],
            };
            self.pending.push((Point { x: 0.0, y: -size }, FrameItem::Anchor(format!("fn{}", note.number))));
            let mut first = true;
            for block in &note.blocks {
                match block {
                    Block::Paragraph { content, span } if first => {
                        let mut inl = vec![number.clone(), Inline::Text("\u{2002}".into())];
                        inl.extend(content.iter().cloned());
                        self.paragraph(&inl, *span, ctx, Style::Regular);
                    }
                    other => {
                        if first {
                            let inl = vec![number.clone()];
                            self.paragraph(&inl, note.span, ctx, Style::Regular);
                        }
                        self.block(other, ctx);
                    }
                }
                first = false;
            }
            if first {
                self.paragraph(&[number], note.span, ctx, Style::Regular);
            }
            self.pending.clear();
            let lines = std::mem::take(&mut self.elems)
                .into_iter()
                .filter_map(|e| match e {
                    Elem::Line(mut l) => {
                        l.advance = leading;
                        l.grid = false;
                        l.keep = Keep::None;
                        l.chunk = None;
                        l.heading = None;
                        Some(l)
                    }
                    Elem::Space(_) => None,
                })
                .collect();
            out.push(lines);
        }
        self.elems = saved;
        out
    }

    /// Sets one block.
    fn block(&mut self, block: &Block, ctx: Ctx) {
        match block {
            Block::Heading { level, id, content, span } => self.heading(*level, id, content, *span, ctx),
            Block::Paragraph { content, span } => {
                // A paragraph that is only a picture is a figure.
                if let [Inline::Image { alt, span, .. }] = content.as_slice() {
                    self.figure(alt, *span, ctx);
                } else {
                    self.paragraph(content, *span, ctx, Style::Regular);
                }
            }
            Block::Quote { blocks, .. } => self.quote(blocks, ctx),
            Block::List { start, items, span, .. } => self.list(*start, items, *span, ctx),
            Block::Code { text, span, .. } => self.code(text, *span, ctx),
            Block::Rule { span } => self.rule(*span, ctx),
            Block::Table { align, head, rows, span } => self.table(align, head, rows, *span, ctx),
        }
    }

    /// Vertical space before the next line. Two spaces in a row (below a section break,
    /// above a heading) do not add up: the larger wins, as margins collapse in CSS.
    fn space(&mut self, amount: f32) {
        match self.elems.last_mut() {
            None => {}
            Some(Elem::Space(s)) => *s = s.max(amount),
            Some(Elem::Line(_)) => self.elems.push(Elem::Space(amount)),
        }
    }

    /// Adds set lines as flow elements, offset by `x`, with the keeps of a paragraph.
    fn push_lines(&mut self, lines: Vec<LineBox>, x: f32, chunk: Option<u32>, ctx: Ctx) {
        let keep_first = std::mem::take(&mut self.keep_next);
        let pending = std::mem::take(&mut self.pending);
        let elems = para_elems(lines, x, chunk, keep_first, &pending, ctx.notes);
        self.elems.extend(elems);
    }

    /// A paragraph of running text in `style`.
    fn paragraph(&mut self, content: &[Inline], span: Span, ctx: Ctx, style: Style) {
        let col = collect(content, style, span, &self.setter, &mut self.warnings);
        // A paragraph that opens a section, a quote or a list item is not indented.
        let indent = if self.fresh || ctx.notes { 0.0 } else { ctx.size };
        let pstyle = ParaStyle {
            size: ctx.size,
            leading: ctx.leading,
            measure: ctx.measure,
            indent,
            align: Align::Justify,
            hyphenate: true,
            grid: ctx.grid,
        };
        self.fresh = false;
        let para = Paragraph::prepare(col, pstyle, span, &mut self.setter);
        if para.is_empty() && self.pending.is_empty() {
            return;
        }
        let set = para.set(&mut self.setter, 0, &mut self.warnings);
        if !ctx.notes {
            self.gaps.extend(&set.gaps);
        }
        let first_items = self.pending.clone();
        let keep_first = self.keep_next;
        let chunk = if ctx.notes {
            None
        } else {
            self.chunks.push(Chunk { para, x: ctx.x, keep_first, first_items, best: set.demerits });
            Some(self.chunks.len() as u32 - 1)
        };
        self.push_lines(set.lines, ctx.x, chunk, ctx);
    }

    /// A heading: set in a slot of whole grid lines, so that the text after it is back on
    /// the grid, with its baseline placed within the slot so that there is visible space
    /// both above and below it, more above than below (a heading belongs to what follows).
    /// See [`heading_slot`].
    fn heading(&mut self, level: u8, id: &str, content: &[Inline], span: Span, ctx: Ctx) {
        let g = self.geom;
        let (style, rel) = match level {
            1 => (Style::Bold, 1.4),
            2 => (Style::Bold, 1.15),
            3 => (Style::Italic, 1.0),
            _ => (Style::BoldItalic, 1.0),
        };
        let (above, below) = heading_space(level);
        let size = ctx.size * rel;
        let col = collect(content, style, span, &self.setter, &mut self.warnings);
        let pstyle = ParaStyle {
            size,
            leading: (size * 1.2).max(g.leading * 0.9),
            measure: ctx.measure,
            indent: 0.0,
            // Centred: an essay's few headings read as pauses in the text, and a short
            // heading flush left at the top of a page would look like a widow.
            align: Align::Center,
            hyphenate: false,
            grid: false,
        };
        let para = Paragraph::prepare(col, pstyle, span, &mut self.setter);
        let set = para.set(&mut self.setter, 0, &mut self.warnings);
        self.space(above * ctx.leading);
        let mut lines = set.lines;
        for (k, l) in lines.iter_mut().enumerate() {
            l.keep = Keep::Hard;
            l.advance = if k == 0 { ctx.leading } else { pstyle.leading };
            l.height = size;
            if k == 0 {
                l.items.insert(0, (Point { x: 0.0, y: -size }, FrameItem::Anchor(id.to_string())));
                l.heading = Some(HeadingMark { level, title: Inline::to_plain(content).trim().to_string() });
            }
            for (p, _) in &mut l.items {
                p.x += ctx.x;
            }
        }
        self.elems.extend(lines.into_iter().map(Elem::Line));
        self.space(below * ctx.leading);
        self.fresh = true;
        self.keep_next = Keep::Hard;
    }

    /// A block quotation: indented both sides, smaller, off the grid; the text after it
    /// snaps back.
    fn quote(&mut self, blocks: &[Block], ctx: Ctx) {
        let deeper = ctx.depth < MAX_NEST;
        let inset = if deeper { 1.5 * ctx.size } else { 0.0 };
        let size = if ctx.notes { ctx.size } else { self.geom.size * QUOTE_SIZE };
        let inner = Ctx {
            x: ctx.x + inset,
            measure: (ctx.measure - 2.0 * inset).max(8.0 * size),
            size,
            leading: if ctx.notes { ctx.leading } else { self.geom.leading * QUOTE_SIZE },
            grid: false,
            depth: ctx.depth + 1,
            ..ctx
        };
        // A little air around the quote; the body line after it snaps to the grid, which
        // adds up to a line more.
        self.space(0.3 * self.geom.leading);
        self.fresh = true;
        for b in blocks {
            self.block(b, inner);
        }
        self.space(0.3 * self.geom.leading);
        self.fresh = false;
    }

    /// A list: labels hanging in the indent, items set as blocks at the indent.
    fn list(&mut self, start: Option<u64>, items: &[ListItem], span: Span, ctx: Ctx) {
        let regular = self.setter.fonts.face(Style::Regular);
        let deeper = ctx.depth < MAX_NEST;
        let labels: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(k, item)| match (item.task, start) {
                (Some(done), _) => {
                    let glyph = if done { '☑' } else { '☐' };
                    match (regular.has_char(glyph), done) {
                        (true, _) => glyph.to_string(),
                        (false, true) => "[x]".into(),
                        (false, false) => "[ ]".into(),
                    }
                }
                (None, Some(s)) => format!("{}.", s.saturating_add(k as u64)),
                (None, None) => if ctx.depth.is_multiple_of(2) { "•" } else { "–" }.to_string(),
            })
            .collect();
        let gap = 0.4 * ctx.size;
        let widths: Vec<f32> = labels.iter().map(|l| self.text_width(l, Style::Regular, ctx.size)).collect();
        let widest = widths.iter().copied().fold(0.0, f32::max);
        // The labels hang in the indent, right-aligned against the text.
        let inset = if deeper { (widest + gap).max(1.5 * ctx.size) } else { 0.0 };
        let inner =
            Ctx { x: ctx.x + inset, measure: (ctx.measure - inset).max(8.0 * ctx.size), depth: ctx.depth + 1, ..ctx };
        // A list stands apart from the text around it (and from a list right after it);
        // a list nested in an item does not.
        let outermost = !self.in_list;
        if outermost {
            self.space(0.5 * ctx.leading);
        }
        self.in_list = true;
        for ((item, label), w) in items.iter().zip(&labels).zip(widths) {
            // Past the nesting cap items are no longer indented, and a label would fall
            // on the text: they go without.
            if deeper {
                if let Some(run) = self.plain_run(label, Style::Regular, ctx.size, span) {
                    self.pending.push((Point { x: inner.x - w - gap, y: 0.0 }, FrameItem::Text(run)));
                }
            }
            self.fresh = true;
            if item.blocks.is_empty() {
                self.paragraph(&[], span, inner, Style::Regular);
            }
            for b in &item.blocks {
                self.block(b, inner);
            }
            self.pending.clear();
        }
        if outermost {
            self.in_list = false;
            self.space(0.5 * ctx.leading);
        }
        self.fresh = false;
    }

    /// A code block: one line per source line, ragged, wrapped where a line is too long.
    fn code(&mut self, text: &str, span: Span, ctx: Ctx) {
        let size = ctx.size * CODE_SIZE;
        let inset = if ctx.depth < MAX_NEST { ctx.size } else { 0.0 };
        let space = self.text_width(" ", Style::Regular, size);
        self.space(0.5 * self.geom.leading);
        let mut lines = Vec::new();
        for source in text.trim_end_matches('\n').split('\n') {
            let trimmed = source.trim_start_matches([' ', '\t']);
            let lead = source.len() - trimmed.len();
            let col = code_collect(trimmed, span, self);
            let pstyle = ParaStyle {
                size,
                leading: ctx.leading,
                measure: (ctx.measure - inset).max(8.0 * size),
                indent: lead as f32 * space,
                align: Align::Left,
                hyphenate: false,
                grid: ctx.grid,
            };
            let para = Paragraph::prepare(col, pstyle, span, &mut self.setter);
            let set = para.set(&mut self.setter, 0, &mut self.warnings);
            if set.lines.is_empty() {
                lines.push(LineBox { advance: ctx.leading, height: size, grid: ctx.grid, ..LineBox::default() });
            }
            lines.extend(set.lines);
        }
        self.push_lines(lines, ctx.x + inset, None, ctx);
        self.space(0.5 * self.geom.leading);
        self.fresh = false;
    }

    /// A section break: an ornament on a line of its own, a blank line above and below.
    fn rule(&mut self, span: Span, ctx: Ctx) {
        let regular = self.setter.fonts.face(Style::Regular);
        let ornament = ['⁂', '❧', '⁕', '*'].into_iter().find(|&c| regular.has_char(c)).unwrap_or('*');
        let text = if ornament == '*' { "*\u{2003}*\u{2003}*".to_string() } else { ornament.to_string() };
        self.space(0.5 * ctx.leading);
        if let Some(run) = self.plain_run(&text, Style::Regular, ctx.size, span) {
            let w: f32 = run.glyphs.iter().map(|g| g.advance).sum();
            let x = ctx.x + (ctx.measure - w) / 2.0;
            let line = LineBox {
                items: vec![(Point { x, y: 0.0 }, FrameItem::Text(run))],
                advance: ctx.leading,
                height: ctx.size,
                grid: ctx.grid,
                keep: Keep::Hard,
                ..LineBox::default()
            };
            self.elems.push(Elem::Line(line));
        }
        self.space(0.5 * ctx.leading);
        self.fresh = true;
    }

    /// A picture, until pictures are set: its description between two rules.
    fn figure(&mut self, alt: &str, span: Span, ctx: Ctx) {
        let text = if alt.trim().is_empty() { "picture" } else { alt.trim() };
        let inl = [Inline::Emphasis(vec![Inline::Text(text.to_string())])];
        let col = collect(&inl, Style::Regular, span, &self.setter, &mut self.warnings);
        let measure = (ctx.measure - 4.0 * ctx.size).max(8.0 * ctx.size);
        let pstyle = ParaStyle {
            size: ctx.size,
            leading: ctx.leading,
            measure,
            indent: 0.0,
            align: Align::Center,
            hyphenate: true,
            grid: ctx.grid,
        };
        let para = Paragraph::prepare(col, pstyle, span, &mut self.setter);
        let mut lines = para.set(&mut self.setter, 0, &mut self.warnings).lines;
        self.space(ctx.leading);
        let rule = |y: f32| (Point { x: 0.0, y }, FrameItem::Rule { width: measure, thickness: 0.4 });
        let n = lines.len();
        for (k, l) in lines.iter_mut().enumerate() {
            l.keep = if k + 1 < n { Keep::Hard } else { Keep::None };
            if k == 0 {
                l.items.push(rule(-1.1 * ctx.size));
            }
            if k + 1 == n {
                l.items.push(rule(0.6 * ctx.size));
            }
        }
        let x = ctx.x + 2.0 * ctx.size;
        let keep = std::mem::take(&mut self.keep_next);
        self.elems.extend(para_elems(lines, x, None, keep, &[], ctx.notes));
        self.space(ctx.leading);
        self.fresh = true;
    }

    /// A table: columns as wide as their content (scaled down to the measure), cells
    /// ragged, rules above and below the head and below the last row.
    fn table(&mut self, align: &[ColumnAlign], head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>], span: Span, ctx: Ctx) {
        let columns = std::iter::once(head.len()).chain(rows.iter().map(Vec::len)).max().unwrap_or(0).max(align.len());
        if columns == 0 {
            return;
        }
        let gap = ctx.size;
        // Natural widths: each cell set on one line.
        let mut natural = vec![0.0f32; columns];
        let all_rows = std::iter::once((head, Style::Bold)).chain(rows.iter().map(|r| (r.as_slice(), Style::Regular)));
        let mut prepared: Vec<Vec<Option<Paragraph>>> = Vec::new();
        for (row, style) in all_rows {
            let mut cells = Vec::with_capacity(columns);
            for (c, widest) in natural.iter_mut().enumerate() {
                let Some(content) = row.get(c) else {
                    cells.push(None);
                    continue;
                };
                let col = collect(content, style, span, &self.setter, &mut self.warnings);
                let a = match align.get(c) {
                    Some(ColumnAlign::Center) => Align::Center,
                    _ => Align::Left,
                };
                let pstyle = ParaStyle {
                    size: ctx.size,
                    leading: ctx.leading,
                    measure: f32::MAX / 4.0,
                    indent: 0.0,
                    align: a,
                    hyphenate: false,
                    grid: ctx.grid,
                };
                let para = Paragraph::prepare(col, pstyle, span, &mut self.setter);
                *widest = widest.max(para.natural_width());
                cells.push(Some(para));
            }
            prepared.push(cells);
        }
        let total: f32 = natural.iter().sum::<f32>() + gap * (columns - 1) as f32;
        let room = ctx.measure - gap * (columns - 1) as f32;
        let widths: Vec<f32> = if total <= ctx.measure {
            natural.clone()
        } else {
            let sum: f32 = natural.iter().sum::<f32>().max(1.0);
            natural.iter().map(|w| (w / sum * room).max(2.0 * ctx.size)).collect()
        };
        self.space(0.5 * ctx.leading);
        let table_width: f32 = widths.iter().sum::<f32>() + gap * (columns - 1) as f32;
        let n_rows = prepared.len();
        for (r, cells) in prepared.into_iter().enumerate() {
            let mut items = Vec::new();
            let mut notes = Vec::new();
            let mut height = 1usize;
            let mut x = 0.0;
            for (c, cell) in cells.into_iter().enumerate() {
                if let Some(mut para) = cell {
                    para.style.measure = widths[c].max(1.0);
                    let set = para.set(&mut self.setter, 0, &mut self.warnings);
                    height = height.max(set.lines.len());
                    let right = matches!(align.get(c), Some(ColumnAlign::Right));
                    for (k, line) in set.lines.into_iter().enumerate() {
                        let shift = if right { widths[c] - line_width(&line) } else { 0.0 };
                        notes.extend(line.notes.iter().copied());
                        for (mut p, item) in line.items {
                            p.x += x + shift;
                            p.y += k as f32 * ctx.leading;
                            items.push((p, item));
                        }
                    }
                }
                x += widths[c] + gap;
            }
            let depth = (height - 1) as f32 * ctx.leading;
            let rule = |y: f32, t: f32| (Point { x: 0.0, y }, FrameItem::Rule { width: table_width, thickness: t });
            if r == 0 {
                items.push(rule(-ctx.leading * 0.95, 0.6));
                items.push(rule(depth + ctx.leading * 0.35, 0.4));
            }
            if r + 1 == n_rows {
                items.push(rule(depth + ctx.leading * 0.35, 0.6));
            }
            let line = LineBox {
                items,
                advance: ctx.leading,
                height: ctx.size,
                depth,
                grid: ctx.grid,
                keep: if r == 0 { Keep::Hard } else { Keep::None },
                notes,
                ..LineBox::default()
            };
            let keep = std::mem::take(&mut self.keep_next);
            let mut elems = para_elems(vec![line], ctx.x, None, keep, &[], ctx.notes);
            if r == 0 {
                if let Some(Elem::Line(l)) = elems.first_mut() {
                    l.keep = Keep::Hard;
                }
            }
            self.elems.extend(elems);
        }
        self.space(0.5 * ctx.leading);
        self.fresh = true;
    }

    /// Width of `text` set plainly in `style` at `size`.
    fn text_width(&self, text: &str, style: Style, size: f32) -> f32 {
        let mut glyphs = Vec::new();
        self.setter.fonts.face(style).shape(text, &mut glyphs);
        glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size
    }

    /// A run of `text` set plainly (a label, an ornament), or `None` if there is nothing.
    fn plain_run(&mut self, text: &str, style: Style, size: f32, span: Span) -> Option<crate::layout::frame::TextRun> {
        let col = collect(&[Inline::Text(text.to_string())], style, span, &self.setter, &mut self.warnings);
        let pstyle = ParaStyle {
            size,
            leading: size,
            measure: f32::MAX / 4.0,
            indent: 0.0,
            align: Align::Left,
            hyphenate: false,
            grid: false,
        };
        let para = Paragraph::prepare(col, pstyle, span, &mut self.setter);
        let set = para.set(&mut self.setter, 0, &mut self.warnings);
        let line = set.lines.into_iter().next()?;
        line.items.into_iter().find_map(|(_, item)| match item {
            FrameItem::Text(run) => Some(run),
            _ => None,
        })
    }

    /// Re-breaks chunk `chunk` with `looseness`, for the paginator; `None` if that cannot
    /// be done without loose or tight lines.
    pub fn rebreak(&mut self, chunk: u32, looseness: i32) -> Option<Rebroken> {
        let c = self.chunks.get(chunk as usize)?;
        let best = c.best;
        let mut scratch = Vec::new();
        let set: SetLines = c.para.set(&mut self.setter, looseness, &mut scratch);
        if set.looseness != looseness || set.strained || !scratch.is_empty() || set.lines.is_empty() {
            return None;
        }
        // Tight lines need no check: the line breaker never shrinks a space beyond its
        // shrinkability, and a re-broken paragraph is no tighter than others.
        if set.gaps.iter().any(|&g| g > MAX_REBREAK_GAP) {
            return None;
        }
        let cost = ((set.demerits - best).max(0.0) / 1000.0) as f32;
        let elems = para_elems(set.lines, c.x, Some(chunk), c.keep_first, &c.first_items, false);
        Some(Rebroken { elems, cost })
    }

    /// Notes first referred to in body lines.
    pub fn body_refs(&self) -> Vec<NoteId> {
        let mut refs = Vec::new();
        for e in &self.elems {
            if let Elem::Line(l) = e {
                refs.extend(&l.notes);
            }
        }
        refs
    }
}

/// The slot of a heading of `level`: how many grid steps lie between the baseline of the
/// body line before it and that of the body line after it, and how far down that span
/// the heading's (first) baseline falls, both in leadings.
///
/// The drop is never a whole number of steps short of the slot: a heading exactly one
/// leading above the next line reads as that paragraph's first line, with nothing to set
/// it off below. The bigger the heading, the bigger its slot; each has at least four
/// tenths of a line of extra air below it and more above, so that it binds to the text it
/// introduces. At the top of a page the space above goes and the next line snaps down to
/// the grid, so the space below grows to a whole line there.
fn heading_slot(level: u8) -> (f32, f32) {
    match level {
        1 => (6.0, 3.5),
        2 => (4.0, 2.5),
        _ => (3.0, 1.6),
    }
}

/// The flow space above and below a heading of `level` that realizes its
/// [`heading_slot`]: the heading's first line advances one leading past the space above,
/// and the next body line one leading past the space below (then snaps to the grid).
fn heading_space(level: u8) -> (f32, f32) {
    let (slot, drop) = heading_slot(level);
    (drop - 1.0, slot - drop - 1.0)
}

/// A code line's text as one literal piece (code never hyphenates).
fn code_collect(text: &str, span: Span, flow: &mut Flow<'_, '_>) -> Collected {
    let mut col = collect(&[Inline::Code(text.to_string())], Style::Regular, span, &flow.setter, &mut flow.warnings);
    // The piece was sized for inline code; a code block has its own size.
    for p in &mut col.pieces {
        p.size = 1.0;
    }
    col
}

/// The width of a line's text.
fn line_width(line: &LineBox) -> f32 {
    line.items
        .iter()
        .filter_map(|(p, item)| match item {
            FrameItem::Text(run) => Some(p.x + run.glyphs.iter().map(|g| g.advance).sum::<f32>()),
            _ => None,
        })
        .fold(0.0, f32::max)
}

/// A paragraph's lines as flow elements: shifted by `x`, tagged with `chunk`, with
/// orphan and widow keeps, `keep_first` on the first line and `first_items` (already in
/// text-block coordinates) added to it.
fn para_elems(
    lines: Vec<LineBox>,
    x: f32,
    chunk: Option<u32>,
    keep_first: Keep,
    first_items: &[(Point, FrameItem)],
    notes: bool,
) -> Vec<Elem> {
    let n = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(k, mut l)| {
            for (p, _) in &mut l.items {
                p.x += x;
            }
            if k == 0 {
                l.items.extend(first_items.iter().cloned());
            }
            l.chunk = chunk;
            if !notes {
                if n >= 2 && (k == 0 || k + 2 == n) {
                    l.keep = l.keep.max(Keep::Soft);
                }
                if k == 0 && n >= 2 {
                    l.keep = l.keep.max(keep_first);
                }
            }
            Elem::Line(l)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_have_more_space_above_than_below_and_some_below() {
        for level in 1..=6 {
            let (slot, _) = heading_slot(level);
            assert_eq!(slot, slot.round(), "level {level}: the slot spans whole grid lines");
            let (above, below) = heading_space(level);
            assert!(below > 0.39, "level {level}: {below} of a line below");
            assert!(above > below, "level {level}: {above} above, {below} below");
            assert!((above + 1.0 + below + 1.0 - slot).abs() < 1e-6);
        }
        // a smaller heading never takes more room than a bigger one
        assert!(heading_slot(1).0 >= heading_slot(2).0 && heading_slot(2).0 >= heading_slot(3).0);
    }
}
