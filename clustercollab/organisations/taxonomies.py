"""The taxonomies the directory looks values up in, held per process and per directory stamp.

Validating ``country=DE``, labelling facet values and showing a result card's country, region
and ecosystems would otherwise read these tables on every request, though they change only by
an import or in the admin. The database triggers that renew the directory stamp also watch the
taxonomy tables (directory_index.py), and every directory request reads that stamp anyway: the
lookups are kept for one stamp, so a taxonomy changed in any process is seen on the next request.
A profile change renews the stamp too; the reload then costs a few milliseconds once per process,
beside the index rebuild it accompanies.
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from clustercollab.core.held import HeldPerProcess
from clustercollab.core.models import (
    Country,
    CountryGroup,
    EmergingIndustry,
    IndustrialEcosystem,
    NaceActivity,
    NutsRegion,
)
from clustercollab.organisations.directory_index import directory_stamp


class TaxonomyTable:
    """One taxonomy's rows by the value a URL carries (code or slug), in the model's order."""

    def __init__(self, rows: Iterable[Model], key: str) -> None:
        self.rows: dict[str, Model] = {getattr(row, key): row for row in rows}
        self._position = {value: number for number, value in enumerate(self.rows)}

    def in_model_order(self, keys: Iterable[str]) -> list[Model]:
        """The rows of ``keys`` that exist, each once, in the order the model's queries give."""
        found = {key for key in keys if key in self.rows}
        return [self.rows[key] for key in sorted(found, key=self._position.__getitem__)]


@dataclass
class DirectoryTaxonomies:
    """Every taxonomy of the directory's filters, as read at directory stamp ``stamp``.

    The model instances are shared by every request of the process: read them, never change them.
    """

    stamp: int
    countries: TaxonomyTable  # by ISO code
    regions: TaxonomyTable  # by NUTS code (outlines left unread)
    ecosystems: TaxonomyTable  # by slug
    ecosystems_by_id: dict[int, IndustrialEcosystem]
    nace: TaxonomyTable  # by code
    emerging: TaxonomyTable  # by slug
    eu_codes: tuple[str, ...]
    _derived: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    def derived(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """A value computed from these taxonomies (e.g. facet labels in one language), once."""
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = compute()
            return value


def _load(using: str, stamp: int) -> DirectoryTaxonomies:
    ecosystems = list(IndustrialEcosystem.objects.using(using).all())
    countries = list(Country.objects.using(using).all())
    return DirectoryTaxonomies(
        stamp=stamp,
        countries=TaxonomyTable(countries, "code"),
        regions=TaxonomyTable(NutsRegion.objects.using(using).defer("geometry"), "code"),
        ecosystems=TaxonomyTable(ecosystems, "slug"),
        ecosystems_by_id={ecosystem.pk: ecosystem for ecosystem in ecosystems},
        nace=TaxonomyTable(NaceActivity.objects.using(using).all(), "code"),
        emerging=TaxonomyTable(EmergingIndustry.objects.using(using).all(), "slug"),
        eu_codes=tuple(sorted(c.code for c in countries if c.group == CountryGroup.EU)),
    )


_held: HeldPerProcess[DirectoryTaxonomies] = HeldPerProcess(lambda held: held.stamp)


def directory_taxonomies(
    using: str = "default", *, stamp: int | None = None
) -> DirectoryTaxonomies:
    """This process's taxonomies of database ``using``, read again if the directory changed.

    ``stamp``: the directory stamp if the caller has just read it (else it is read here).
    """
    if stamp is None:
        stamp = directory_stamp(using)
    return _held.current(using, stamp, lambda: _load(using, stamp))


def forget_directory_taxonomies() -> None:
    _held.clear()
