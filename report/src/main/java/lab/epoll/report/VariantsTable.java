package lab.epoll.report;

import java.util.ArrayList;
import java.util.List;
import lab.epoll.catalog.MarkdownTable;
import lab.epoll.catalog.ServerVariant;

/**
 * The README's list of variants, made from the catalog's one list ({@link ServerVariant#all()}): each variant's
 * name, what it is, and the command that runs it. Generated, so a variant added to the catalog shows up here
 * the next time the report runs, and a README that was not regenerated fails its test.
 */
final class VariantsTable {
    /** The README block this table fills. */
    static final String BLOCK = "variants";

    private VariantsTable() {}

    static String markdown() {
        MarkdownTable table = new MarkdownTable(3, "variant", "what it is", "run it");
        for (ServerVariant variant : ServerVariant.all()) {
            table.row("`" + variant.name() + "`", variant.summary(), "`" + command(variant) + "`");
        }
        return table.render().strip();
    }

    /** {@code java [flags] -jar JAR [options]}, from the lab's root. */
    static String command(ServerVariant variant) {
        List<String> words = new ArrayList<>(List.of("java"));
        words.addAll(variant.jvmArgs());
        words.addAll(List.of("-jar", variant.jar()));
        words.addAll(variant.serverArgs());
        return String.join(" ", words);
    }
}
