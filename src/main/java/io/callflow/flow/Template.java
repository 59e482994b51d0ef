package io.callflow.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * ${name} substitution in one pass: a value that itself contains "${" is inserted as text and never expanded,
 * so caller-supplied data cannot inject placeholders. Unknown names become the empty string.
 */
final class Template {

  /** Where placeholder values come from. */
  interface Values {
    String lookup(String name);
  }

  private Template() {
  }

  /** The names of the ${name} placeholders in {@code text}, in order (none for null). */
  static List<String> names(String text) {
    List<String> names = new ArrayList<>();
    int at = 0;
    while (text != null) {
      int open = text.indexOf("${", at);
      int close = open < 0 ? -1 : text.indexOf('}', open + 2);
      if (close < 0) {
        break;
      }
      String name = text.substring(open + 2, close).trim();
      if (!name.isEmpty()) {
        names.add(name);
      }
      at = close + 1;
    }
    return names;
  }

  static String expand(String text, Values values) {
    if (text == null || !text.contains("${")) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    int at = 0;
    while (at < text.length()) {
      int open = text.indexOf("${", at);
      int close = open < 0 ? -1 : text.indexOf('}', open + 2);
      if (close < 0) {
        out.append(text, at, text.length());
        break;
      }
      out.append(text, at, open);
      String value = values.lookup(text.substring(open + 2, close).trim());
      out.append(value == null ? "" : value);
      at = close + 1;
    }
    return out.toString();
  }
}
