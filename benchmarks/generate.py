"""Write a project of N synthetic, valid, varied case studies, for benchmarks only.

The words are drawn from a fixed vocabulary with a fixed seed, so two runs write
the same files. Never publish the result: it is made up.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent

WORDS = (  # noqa: SIM905 - a paragraph of words is easier to read than a list
    "council shared service partnership merger budget revenues benefits customer contact "
    "digital platform contract procurement capacity resilience workforce culture leadership "
    "members officers residents housing waste planning licensing regeneration broadband "
    "webchat email domain office estate finance audit governance risk programme savings "
    "outcomes investment technology data systems integration migration training skills "
    "engagement consultation devolution pooled pressure priorities neighbourhood district "
    "county unitary borough city rural urban coastal market town team manager director "
    "board scrutiny committee democratic services payroll pensions legal assurance"
).split()
# Reviewed before the test suite's build date (2024-06-03) and due within five years: a
# review cannot be dated after the build, and none falls due while the benchmark is run.
REVIEWED, REVIEW_DUE = "2024-06-01", "2029-06-01"
THEMES = ["getting-it-right", "due-diligence", "culture", "leadership", "value-from-sharing"]
MODELS = ["shared-service", "partnership", "merger", "group-company", "joint-venture"]
TIERS = ["county", "district", "unitary", "metropolitan", "london-borough"]
REGIONS = [
    "North East",
    "North West",
    "Yorkshire",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
]
SERVICES = [
    "Revenues and benefits",
    "Customer services",
    "Waste management",
    "Planning",
    "Legal services",
    "Payroll",
    "ICT",
    "Procurement",
    "Housing",
    "Licensing",
]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(10, 18)) for _ in range(sentences))


def case_study(index: int, rng: random.Random) -> dict:
    councils = rng.randint(1, 4)
    return {
        "id": f"case-{index:05d}",
        "title": f"Case {index}: {sentence(rng, 5)[:-1]}",
        "summary": "\n\n".join(paragraph(rng, 7) for _ in range(6)),
        "organisations": [
            {
                "name": f"{rng.choice(WORDS).title()} {rng.choice(['District', 'County', 'City'])} "
                f"Council {index}-{n}",
                "tier": rng.choice(TIERS),
            }
            for n in range(councils)
        ],
        "region": rng.choice(REGIONS),
        "setting": rng.choice(["urban", "rural", "mixed"]),
        "models": rng.sample(MODELS, rng.randint(1, 2)),
        "speaker": {"name": f"Speaker {index}", "role": "Chief Executive"},
        "services": rng.sample(SERVICES, rng.randint(1, 4)),
        "outcomes": [
            {
                "metric": "Reduction in costs",
                "value": rng.randint(5, 40),
                "unit": "%",
                "scope": sentence(rng, 8),
                "status": rng.choice(["reported", "planned"]),
                "source": "report",
            }
        ],
        "challenges": [sentence(rng, 20) for _ in range(6)],
        "enablers": [sentence(rng, 20) for _ in range(6)],
        "takeaways": [
            {"text": sentence(rng, 22), "themes": rng.sample(THEMES, rng.randint(1, 2))}
            for _ in range(5)
        ],
        "quotes": [{"text": sentence(rng, 25), "speaker": f"Speaker {index}", "source": "report"}],
        "sources": [
            {"id": "report", "title": f"Report {index}", "publisher": "Synthetic", "date": REVIEWED}
        ],
        "tags": rng.sample(WORDS, 3),
        "reviewed": REVIEWED,
        "review_due": REVIEW_DUE,
    }


def write_project(target: Path, count: int, seed: int = 2026) -> Path:
    """A copy of this repository's site with `count` synthetic case studies instead."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copy2(REPO / "CONTRIBUTING.md", target / "CONTRIBUTING.md")
    shutil.copy2(REPO / "glossary.yaml", target / "glossary.yaml")
    shutil.copytree(REPO / "docs", target / "docs")
    (target / "case_studies").mkdir()
    for index in range(1, count + 1):
        text = yaml.safe_dump(case_study(index, rng), sort_keys=False, allow_unicode=True)
        (target / "case_studies" / f"case-{index:05d}.yaml").write_text(text)
    briefing = yaml.safe_load(
        (REPO / "briefings/shared-services-getting-it-right.yaml").read_text()
    )
    briefing["case_studies"] = [f"case-{i:05d}" for i in range(1, min(count, 10) + 1)]
    briefing["reviewed"] = REVIEWED
    briefing["key_takeaways"] = [
        {k: v for k, v in t.items() if k != "case_studies"} for t in briefing["key_takeaways"]
    ]
    for checklist in briefing["checklists"]:
        for item in checklist["items"]:
            item["case_studies"] = briefing["case_studies"][:1]
    (target / "briefings").mkdir()
    (target / "briefings" / "shared-services-getting-it-right.yaml").write_text(
        yaml.safe_dump(briefing, sort_keys=False, allow_unicode=True)
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    write_project(args.target, args.count)
    print(f"wrote {args.count} synthetic case studies to {args.target}")


if __name__ == "__main__":
    main()
