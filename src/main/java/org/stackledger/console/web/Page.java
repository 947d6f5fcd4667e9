package org.stackledger.console.web;

import java.util.ArrayList;
import java.util.List;

/**
 * One console page as the templates draw it: a title (the page's {@code h1} and {@code <title>}), the
 * navigation of the signed-in person ({@code null} on pages shown before sign-in) and its sections,
 * each an {@code h2} with blocks.
 */
public record Page(String title, Nav nav, List<Section> sections) {
  public Page {
    sections = List.copyOf(sections);
  }

  /** The signed-in person's navigation: who they are, the views they get, and the sign-out form's token. */
  public record Nav(String who, String csrf, List<Link> links, String current) {
    public boolean isCurrent(Link link) {
      return link.href().equals(current);
    }
  }

  /** A heading and what stands under it; a {@code null} heading draws none. */
  public record Section(String heading, List<Block> blocks) {
    public Section {
      blocks = List.copyOf(blocks);
    }

    public static Section of(String heading, Block... blocks) {
      return new Section(heading, List.of(blocks));
    }
  }

  /** A link: its text and where it goes. */
  public record Link(String text, String href) {}

  /** A page built section by section. */
  public static Builder titled(String title, Nav nav) {
    return new Builder(title, nav);
  }

  /** Collects sections in order; pages add them as their API answers come in. */
  public static final class Builder {
    private final String title;
    private final Nav nav;
    private final List<Section> sections = new ArrayList<>();

    private Builder(String title, Nav nav) {
      this.title = title;
      this.nav = nav;
    }

    public Builder section(String heading, Block... blocks) {
      sections.add(Section.of(heading, blocks));
      return this;
    }

    public Builder section(String heading, List<Block> blocks) {
      sections.add(new Section(heading, blocks));
      return this;
    }

    public Page build() {
      return new Page(title, nav, sections);
    }
  }
}
