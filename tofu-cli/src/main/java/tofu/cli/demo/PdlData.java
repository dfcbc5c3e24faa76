package tofu.cli.demo;

import java.nio.charset.StandardCharsets;

/** Makes plausible page-description bytes for the demo's jobs: a PostScript or PDF marker, then drawing commands. */
final class PdlData {
    private static final byte[] FILLER =
            "0 0 moveto 72 72 lineto stroke showpage\n".getBytes(StandardCharsets.US_ASCII);

    private PdlData() {
    }

    /** Returns {@code size} bytes of chunk {@code chunk} of job {@code job} in {@code pdl} (PS or PDF). */
    static byte[] chunk(String pdl, int job, int chunk, int size) {
        String marker = "PDF".equals(pdl) ? "%PDF-1.7" : "%!PS-Adobe-3.0";
        byte[] head = (marker + " job " + job + " part " + chunk + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = i < head.length ? head[i] : FILLER[(i - head.length) % FILLER.length];
        }
        return out;
    }
}
