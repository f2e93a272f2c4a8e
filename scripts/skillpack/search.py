"""Rank the rules of a pack for a question in plain words: Okapi BM25 over each rule's prose.

A rule's document is its title + summary + tags + body, with the fenced code blocks and HTML comments (example
directives) stripped from the body: every example repeats the same imports and boilerplate, which would make the
documents longer without telling them apart. The tokenizer keeps lower-case words of letters, digits and
underscores; a dotted, snake_case or CamelCase identifier (``DBOS.register_queue``, ``SetWorkflowID``) is kept
whole *and* split into its parts; a short English stop-word list is dropped. No stemming.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .load import body_runs
from .model import Rule

K1 = 1.5
B = 0.75

STOP_WORDS = frozenset(
    """
    a an and are as at be been but by can could did do does doing don doesn didn for from had has have how i if
    in into is isn it its just me my of on or our should so than that the their them then there these they
    this those to too was wasn we were what when where which while who why will with would you your s t ll ve
    re d m am get got gets
    """.split()
)

_IDENT = re.compile(r"[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def tokenize(text: str) -> list[str]:
    """Lower-case words; identifiers kept whole and split into their dotted, snake_case and CamelCase parts."""
    tokens: list[str] = []
    for match in _IDENT.finditer(text):
        whole = match.group(0)
        words = {whole.lower()}
        for piece in re.split(r"[._]+", whole):
            if piece:
                words.add(piece.lower())
                words.update(part.lower() for part in _CAMEL.findall(piece))
        tokens.extend(sorted(w for w in words if w not in STOP_WORDS))
    return tokens


def document(rule: Rule) -> str:
    """Title + summary + tags + body without fenced code blocks and HTML comments."""
    prose = "\n".join(lines[0] for kind, lines in body_runs(rule.body) if kind == "text")
    return "\n".join([rule.title, rule.summary, " ".join(rule.tags), _COMMENT.sub(" ", prose)])


class BM25:
    """Okapi BM25 over a fixed list of documents, already tokenized."""

    def __init__(self, docs: list[list[str]], k1: float = K1, b: float = B):
        self.k1, self.b = k1, b
        self.tfs = [Counter(doc) for doc in docs]
        self.lengths = [len(doc) for doc in docs]
        self.avgdl = sum(self.lengths) / len(docs) if docs else 0.0
        df = Counter(term for tf in self.tfs for term in tf)
        n = len(docs)
        self.idf = {term: math.log(1 + (n - count + 0.5) / (count + 0.5)) for term, count in df.items()}

    def scores(self, query: list[str]) -> list[float]:
        out = []
        for tf, length in zip(self.tfs, self.lengths):
            norm = self.k1 * (1 - self.b + self.b * length / self.avgdl)
            score = 0.0
            for term in query:
                f = tf.get(term, 0)
                if f:
                    score += self.idf[term] * f * (self.k1 + 1) / (f + norm)
            out.append(score)
        return out


class RuleSearch:
    """A BM25 index of a pack's rules, built once, asked many times."""

    def __init__(self, rules: list[Rule]):
        self.rules = list(rules)
        self.index = BM25([tokenize(document(rule)) for rule in self.rules])

    def ranked(self, query: str) -> list[tuple[float, Rule]]:
        """Every rule with its score for ``query``, best first; ties by file name."""
        scores = self.index.scores(tokenize(query))
        return sorted(zip(scores, self.rules), key=lambda pair: (-pair[0], pair[1].stem))

    def search(self, query: str, limit: int) -> list[tuple[float, Rule]]:
        """The ``limit`` best rules that share at least one word with ``query``."""
        return [(score, rule) for score, rule in self.ranked(query) if score > 0][:limit]
