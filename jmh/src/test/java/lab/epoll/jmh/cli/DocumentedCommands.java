package lab.epoll.jmh.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lab.epoll.catalog.LabPaths;

/**
 * Every harness command line the lab's documents show: {@code java -jar .../benchmarks.jar ARGS} and
 * {@code mvn -pl jmh exec:java -Dexec.args="ARGS"}, in Markdown (console blocks, and code spans in the prose, a
 * line break inside them included) and in shell scripts (their commands and the examples in their comments). The
 * arguments are read as the shell would: quotes removed, a continued line joined, a variable replaced by the
 * script's default for it ({@code name=${1:-et}}) or else a placeholder ({@code "$@"} and an empty default by
 * none), a comment or a redirection ending the command.
 */
final class DocumentedCommands {
    /** Stands for a variable the document gives no value: a number, since some are counts. */
    static final String VARIABLE = "1";

    /** One documented command: where it is, as written, and the harness's arguments in it. */
    record Command(String where, String text, List<String> args) {
        @Override
        public String toString() {
            return where + ": " + text.strip();
        }
    }

    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern SHELL_COMMENT = Pattern.compile("^\\s*#(?!!)(.*)$");
    private static final Pattern JAR_VARIABLE = Pattern.compile("^\\s*(\\w+)=\\S*benchmarks\\.jar\\S*$");
    /** {@code name=${1:-et}} or {@code name="${NAME:-512}"}: a script's setting and its default. */
    private static final Pattern DEFAULTED = Pattern.compile("^\\s*(\\w+)=\"?\\$\\{\\w+:-([^}]*)}\"?\\s*$");

    private DocumentedCommands() {}

    /** The documents the harness's commands may be in, under the lab's {@code root}. */
    static List<Command> in(Path root) {
        List<Command> commands = new ArrayList<>();
        List<Path> documents = new ArrayList<>(
                LabPaths.documents(root).stream().map(root::resolve).toList());
        documents.add(root.resolve(".ci/run"));
        documents.addAll(files(root.resolve("docs"), Integer.MAX_VALUE, ".sh"));
        documents.addAll(files(root.resolve("tools"), Integer.MAX_VALUE, ".sh"));
        documents.addAll(files(root.resolve("tools"), Integer.MAX_VALUE, ".md"));
        for (Path document : documents) {
            String where = root.relativize(document).toString();
            String text;
            try {
                text = Files.readString(document);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            commands.addAll(where.endsWith(".md") ? inMarkdown(where, text) : inShell(where, text));
        }
        return commands;
    }

    private static List<Path> files(Path dir, int depth, String suffix) {
        try (Stream<Path> files = Files.walk(dir, depth)) {
            return files.filter(file -> file.toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commands in a Markdown document: its code blocks line by line, its prose by code span. */
    static List<Command> inMarkdown(String name, String text) {
        List<Command> commands = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        boolean code = false;
        StringBuilder paragraph = new StringBuilder();
        int paragraphStart = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (FENCE.matcher(line).find()) {
                code = !code;
                continue;
            }
            if (code) {
                int start = i;
                StringBuilder logical = new StringBuilder(line);
                while (logical.toString().endsWith("\\") && i + 1 < lines.length) {
                    logical.setLength(logical.length() - 1);
                    logical.append(' ').append(lines[++i].strip());
                }
                command(name + ":" + (start + 1), logical.toString().replaceFirst("^\\s*\\$ ", ""), Map.of())
                        .ifPresent(commands::add);
            } else if (line.isBlank()) {
                spans(name, paragraphStart, paragraph, commands);
                paragraph.setLength(0);
            } else {
                if (paragraph.length() == 0) {
                    paragraphStart = i;
                }
                paragraph.append(line).append(' ');
            }
        }
        spans(name, paragraphStart, paragraph, commands);
        return commands;
    }

    private static void spans(String name, int start, CharSequence paragraph, List<Command> commands) {
        Matcher span = CODE_SPAN.matcher(paragraph);
        while (span.find()) {
            command(name + ":" + (start + 1), span.group(1), Map.of()).ifPresent(commands::add);
        }
    }

    /** The commands in a shell script, and in its comments (a usage example in its header). */
    static List<Command> inShell(String name, String text) {
        List<Command> commands = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        List<String> jarVariables = new ArrayList<>();
        Map<String, String> defaults = new HashMap<>();
        for (String line : lines) {
            Matcher jar = JAR_VARIABLE.matcher(line.replace("\"", ""));
            if (jar.matches()) {
                jarVariables.add(jar.group(1));
            }
            Matcher defaulted = DEFAULTED.matcher(line);
            if (defaulted.matches()) {
                defaults.put(
                        defaulted.group(1),
                        String.join(
                                " ",
                                commands(defaulted.group(2), defaults).stream()
                                        .flatMap(List::stream)
                                        .toList()));
            }
        }
        for (int i = 0; i < lines.length; i++) {
            int start = i;
            StringBuilder logical = new StringBuilder(uncommented(lines[i]));
            while (logical.toString().endsWith("\\") && i + 1 < lines.length) {
                logical.setLength(logical.length() - 1);
                logical.append(' ').append(uncommented(lines[++i]).strip());
            }
            String line = logical.toString();
            for (String variable : jarVariables) {
                line = line.replaceAll("\"?\\$\\{?" + variable + "\\b}?\"?", "benchmarks.jar");
            }
            command(name + ":" + (start + 1), line, defaults).ifPresent(commands::add);
        }
        return commands;
    }

    private static String uncommented(String line) {
        Matcher comment = SHELL_COMMENT.matcher(line);
        return comment.matches() ? comment.group(1) : line;
    }

    /**
     * The harness command in {@code text}, if it has one: its arguments, up to an elision ({@code ...}), each
     * variable its value in {@code variables}, else {@link #VARIABLE}.
     */
    static Optional<Command> command(String where, String text, Map<String, String> variables) {
        for (List<String> words : commands(text, variables)) {
            List<String> args = arguments(words);
            if (args != null) {
                int elided = args.indexOf("...");
                return Optional.of(new Command(where, text, List.copyOf(elided < 0 ? args : args.subList(0, elided))));
            }
        }
        return Optional.empty();
    }

    /** The harness's arguments if {@code words} run it, else null. */
    private static List<String> arguments(List<String> words) {
        List<String> args = null;
        for (int i = 0; i + 1 < words.size() && args == null; i++) {
            if (words.get(i).equals("-jar")
                    && words.get(i + 1).endsWith("benchmarks.jar")
                    && words.subList(0, i).stream().anyMatch(word -> word.equals("java"))) {
                args = words.subList(i + 2, words.size());
            } else if (words.get(i).equals("-pl") && words.get(i + 1).equals("jmh") && words.contains("exec:java")) {
                // exec:java splits exec.args as a shell would, quotes included.
                args = words.stream()
                        .filter(word -> word.startsWith("-Dexec.args="))
                        .findFirst()
                        .map(word -> commands(word.substring("-Dexec.args=".length()), Map.of()).stream()
                                .flatMap(List::stream)
                                .toList())
                        .orElse(List.of());
            }
        }
        return args;
    }

    /**
     * The commands on a shell line, each as the words the shell hands the program: quotes removed, each variable
     * {@link #VARIABLE} ({@code "$@"}, an array's {@code [@]} and an empty {@code ${X:-}} none). A command ends at
     * {@code ;}, {@code |}, {@code &}, a parenthesis or a redirection; a comment ends the line.
     */
    static List<List<String>> commands(String line, Map<String, String> variables) {
        // "$@" and "${array[@]}" are as many words as they hold: none here.
        String text = line.replaceAll("\"\\$(@|\\{\\w+\\[@]})\"", "");
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean present = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (present) {
                    words.add(word.toString());
                }
                word.setLength(0);
                present = false;
                i++;
            } else if (c == '#' && !present) {
                break;
            } else if (";|&<>()".indexOf(c) >= 0) {
                // A file descriptor before a redirection (2>&1) is not a word.
                if (present && !((c == '>' || c == '<') && word.toString().matches("\\d+"))) {
                    words.add(word.toString());
                }
                word.setLength(0);
                present = false;
                if (!words.isEmpty()) {
                    commands.add(words);
                    words = new ArrayList<>();
                }
                i++;
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                word.append(text, i + 1, end < 0 ? text.length() : end);
                present = true;
                i = end < 0 ? text.length() : end + 1;
            } else if (c == '"') {
                present = true;
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    char q = text.charAt(i);
                    if (q == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                        word.append(text.charAt(i + 1));
                        i += 2;
                    } else if (q == '$') {
                        i = expand(text, i, word, variables);
                    } else {
                        word.append(q);
                        i++;
                    }
                }
                i++;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(i + 1));
                present = true;
                i += 2;
            } else if (c == '$') {
                int length = word.length();
                i = expand(text, i, word, variables);
                present |= word.length() > length;
            } else {
                word.append(c);
                present = true;
                i++;
            }
        }
        if (present) {
            words.add(word.toString());
        }
        if (!words.isEmpty()) {
            commands.add(words);
        }
        return commands;
    }

    /** Appends the value of the expansion at {@code text[at]} ({@code $}) to {@code word}; returns where it ends. */
    private static int expand(String text, int at, StringBuilder word, Map<String, String> variables) {
        int i = at + 1;
        if (i >= text.length()) {
            word.append('$');
            return i;
        }
        char c = text.charAt(i);
        if (c == '(') {
            int depth = 0;
            for (; i < text.length(); i++) {
                depth += text.charAt(i) == '(' ? 1 : text.charAt(i) == ')' ? -1 : 0;
                if (depth == 0) {
                    break;
                }
            }
            word.append(VARIABLE);
            return i + 1;
        }
        if (c == '{') {
            int end = text.indexOf('}', i);
            String inside = text.substring(i + 1, end < 0 ? text.length() : end);
            int fallback = inside.indexOf(":-");
            String name = inside.replaceFirst("\\W.*", "");
            if (fallback >= 0) {
                word.append(inside.substring(fallback + 2));
            } else if (!inside.equals("@") && !inside.endsWith("[@]")) {
                word.append(variables.getOrDefault(name, VARIABLE));
            }
            return end < 0 ? text.length() : end + 1;
        }
        if (c == '@' || c == '*') {
            return i + 1;
        }
        int end = i;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
            if (Character.isDigit(c)) {
                break; // $1 is one digit
            }
        }
        if (end == i) {
            word.append('$');
            return i;
        }
        word.append(variables.getOrDefault(text.substring(i, end), VARIABLE));
        return end;
    }
}
