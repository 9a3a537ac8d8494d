import Foundation

/// A KLayout batch script (Python, `pya`) that applies the OPC rule table to a GDSII layout of lines.
///
/// Run: `klayout -b -r opc_rules_klayout.py -rd input=in.gds -rd output=out.gds`. For every box on
/// layer 1/0 (vertical lines) it finds the nearest neighbouring line that overlaps it along y, takes
/// the centre-to-centre distance as the local pitch, picks the rule of the nearest tabulated pitch,
/// writes the line widened by bias/2 per edge to layer 1/0 of the output and the rule's assist pair
/// (at ±offset from the line centre) to layer 2/0. Lengths in the rules are wafer-scale nm.
public enum KLayoutScript {
    /// The script text for `rules` (pitch, bias, optional assist).
    public static func text(_ rules: [OPCRule]) -> String {
        let table = rules.map { r in
            let assist = r.assist.map { String(format: "%.6g, %.6g", $0.width, $0.offset) } ?? "None, None"
            return String(format: "    (%.6g, %.6g, %@),", r.pitch, r.bias, assist)
        }.joined(separator: "\n")
        return """
        # Rule-based OPC from newtsim: main-feature bias and SRAF pairs per pitch (wafer-scale nm).
        # Usage: klayout -b -r opc_rules_klayout.py -rd input=in.gds -rd output=out.gds
        import pya

        RULES = [  # (pitch_nm, bias_nm, sraf_width_nm, sraf_offset_nm)
        \(table)
        ]

        def rule_for(pitch_nm):
            return min(RULES, key=lambda r: abs(r[0] - pitch_nm))

        layout = pya.Layout()
        layout.read(input)
        nm = 0.001 / layout.dbu  # database units per nm
        main_in = layout.find_layer(1, 0)
        main_out = layout.layer(pya.LayerInfo(101, 0))
        sraf_out = layout.layer(pya.LayerInfo(102, 0))
        for cell in layout.each_cell():
            boxes = [s.box for s in cell.shapes(main_in).each() if s.is_box()] if main_in is not None else []
            for b in boxes:
                cx = b.center().x
                neighbours = [abs(o.center().x - cx) for o in boxes if o != b and o.top > b.bottom and o.bottom < b.top and o.center().x != cx]
                if not neighbours:
                    continue
                pitch, bias, width, offset = rule_for(min(neighbours) / nm)
                half = int(round(bias / 2 * nm))
                cell.shapes(main_out).insert(pya.Box(b.left - half, b.bottom, b.right + half, b.top))
                if width is not None:
                    for side in (-1, 1):
                        x = cx + side * offset * nm
                        cell.shapes(sraf_out).insert(pya.Box(int(round(x - width / 2 * nm)), b.bottom, int(round(x + width / 2 * nm)), b.top))
            if main_in is not None:
                cell.shapes(main_in).clear()
        for (src, dst) in ((main_out, (1, 0)), (sraf_out, (2, 0))):
            layout.move_layer(src, layout.layer(pya.LayerInfo(*dst)))
        layout.write(output)

        """
    }
}
