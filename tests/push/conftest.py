"""The push tests' fixtures live in `tests.push.fixtures`, shared with `tests/reliability`."""

from __future__ import annotations

from tests.push.fixtures import ROOT as ROOT
from tests.push.fixtures import DatamodelOf as DatamodelOf
from tests.push.fixtures import conn as conn
from tests.push.fixtures import datamodel_of as datamodel_of
from tests.push.fixtures import target as target
