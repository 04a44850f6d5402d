"""Wellspring's analysis core: plain functions over plain data.

No web framework, database or other ``app`` package is imported here; the
web layer, the CLI and the reports all call into this package.
"""

from app.analysis.analyze import analyze_map
from app.analysis.change import compare_maps, review_answers
from app.analysis.disclosure import count_shown, disclose, distribution
from app.analysis.exports import egor_tables, graphml
from app.analysis.group import analyze_session
from app.analysis.imports import MapImportError, import_contacts_csv, import_linkedin_csv
from app.analysis.measures import Ego, compute_metrics, flatten_metrics
from app.analysis.model import (
    EARLIEST_MONTH,
    Commitment,
    Contact,
    MapValidationError,
    NetworkMap,
    ParsedMap,
    empty_map,
    parse_map,
)
from app.analysis.program import (
    DEFAULT_GAP_IDS,
    Program,
    ProgramError,
    ProgramSession,
    Thresholds,
    default_program_path,
    list_programs,
    load_program,
    programs_dir,
)
from app.analysis.results import (
    ChangeSummary,
    CohortChange,
    CommitmentOutcome,
    Distribution,
    Gap,
    GapPrevalence,
    GroupAnalysis,
    MapAnalysis,
    Participation,
    PurposeMix,
    ReconnectItem,
)

__all__ = [
    "DEFAULT_GAP_IDS",
    "EARLIEST_MONTH",
    "ChangeSummary",
    "CohortChange",
    "Commitment",
    "CommitmentOutcome",
    "Contact",
    "Distribution",
    "Ego",
    "Gap",
    "GapPrevalence",
    "GroupAnalysis",
    "MapAnalysis",
    "MapImportError",
    "MapValidationError",
    "NetworkMap",
    "ParsedMap",
    "Participation",
    "Program",
    "ProgramError",
    "ProgramSession",
    "PurposeMix",
    "ReconnectItem",
    "Thresholds",
    "analyze_map",
    "analyze_session",
    "compare_maps",
    "compute_metrics",
    "count_shown",
    "default_program_path",
    "disclose",
    "distribution",
    "egor_tables",
    "empty_map",
    "flatten_metrics",
    "graphml",
    "import_contacts_csv",
    "import_linkedin_csv",
    "list_programs",
    "load_program",
    "parse_map",
    "programs_dir",
    "review_answers",
]
