"""Import of the cluster networks named in the reviewed cluster list of the CORDIS data."""

from pathlib import Path

from django.db import transaction
from tqdm import tqdm

from clustercollab.core.models import Country
from clustercollab.core.taxonomy import EU_TO_ISO_COUNTRY
from clustercollab.organisations.importers.rows import read_csv_rows
from clustercollab.organisations.models import Organisation
from clustercollab.partnering.models import Network, NetworkScope

REVIEWED_FILE = Path("cordis-horizon-europe") / "cluster_organisations_reviewed.csv"
SOURCE_NOTE = "Reviewed cluster list of the CORDIS Horizon Europe data (kind: cluster_network)"


@transaction.atomic
def cluster_networks_import(*, data_dir: Path, progress: bool = False) -> dict[str, int]:
    """Create or update one Network per row of kind ``cluster_network`` in the reviewed list.

    What the data knows: the legal and short name, the country, the reviewer's note (national
    association or European network) and the PIC, which links the network to its imported
    profile. It names no member organisations, so none are invented.
    """
    path = data_dir / REVIEWED_FILE
    rows = [row for _line, row in read_csv_rows(path) if row.get("kind") == "cluster_network"]
    counts = {"created": 0, "updated": 0, "linked": 0}
    for row in tqdm(rows, desc="Cluster networks", disable=not progress):
        pic = (row.get("organisation_id") or "").strip()
        code = (row.get("country") or "").strip().upper()
        country = Country.objects.filter(pk=EU_TO_ISO_COUNTRY.get(code, code)).first()
        note = (row.get("review_note") or "").strip()
        profile = Organisation.objects.filter(cordis_pic=pic).first() if pic else None
        scope = (
            NetworkScope.EUROPEAN if note.lower().startswith("european") else NetworkScope.NATIONAL
        )
        values = {
            "name": profile.name if profile else row["legal_name"].strip(),
            "acronym": (row.get("short_name") or "").strip()[:100],
            "scope": scope,
            "country": country,
            "description": note,
            "website": profile.website if profile else "",
            "source_note": f"{SOURCE_NOTE}, PIC {pic}",
        }
        network = Network.objects.filter(source_note=values["source_note"]).first()
        if network is None:
            network = Network.objects.create(organisation=profile, **values)
            counts["created"] += 1
        else:
            for field, value in values.items():
                setattr(network, field, value)
            network.organisation = profile
            network.save()
            counts["updated"] += 1
        counts["linked"] += profile is not None
    return counts
