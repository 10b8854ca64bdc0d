#!/usr/bin/env python3
"""Deterministic generator of large synthetic blastmap maps, for bench/ (docs/performance.md).

Writes native manifests (docs/manifest-format.md) for about N nodes:
  OUT/tree/   many files, like a real repository (subjects, categories, systems/, vendors/)
  OUT/bundle.yaml   the same map as one multi-document file
and OUT/meta.json (counts, the seed, and sample seed vendors for the benchmark).

Shape (a large enterprise, or a risk team mapping many companies):
- 3/4 systems, 1/4 vendors. Vendor popularity is Zipf-like, so a few vendors receive most flows.
- systems store 1-4 categories (records log-normal), and send flows with a power-law fan-out to other
  systems and to vendors; vendors forward "*" to sub-processors (chains down to a few hosting providers),
  and a few "*" flows point back up, making cycles.
- a few hundred categories: the default taxonomy plus custom extensions under `categories:`.
- access edges: systems pivot into systems (admin, code) or read/write them; vendors hold support or API
  access to systems; identity-hub vendors have sso admin on many systems; a tenth of the vendors hold an
  admin token on an identity hub, so they reach most of the map.
Python 3 standard library only. Same seed and size, same bytes.
"""
import argparse
import json
import math
import os
import random
import shutil

DEFAULT_CATEGORIES = """system system.authentication system.operations user.account user.account.settings
user.account.username user.authorization.credentials user.authorization.password user.behavior.browsing_history
user.behavior.purchase_history user.behavior.search_history user.biometric.fingerprint user.childrens
user.contact.email user.contact.phone_number user.contact.address user.contact.address.city
user.contact.address.country user.contact.address.postal_code user.contact.address.street user.content.private
user.content.public user.criminal_history user.demographic.age_range user.demographic.date_of_birth
user.demographic.gender user.demographic.language user.device.cookie_id user.device.device_id
user.device.ip_address user.financial.bank_account user.financial.credit_card
user.government_id.drivers_license_number user.government_id.national_identification_number
user.government_id.passport_number user.health_and_medical.record_id user.health_and_medical.insurance_beneficiary_id
user.job_title user.location.imprecise user.location.precise user.name user.name.first user.name.last user.payment
user.privacy_preferences user.telemetry user.unique_id user.unique_id.pseudonymous user.workplace""".split()

# Custom categories: (parent, prefix, sensitivity or None to inherit, flags or None)
CUSTOM_FAMILIES = [
    ("user.account", "acct_field", None, None),
    ("user.behavior", "event", "internal", None),
    ("user.financial", "fin_field", None, None),
    ("user.health_and_medical", "clinical", None, None),
    ("user.content", "doc_type", "confidential", None),
    ("system.operations", "ops_stream", None, None),
    ("system.authentication", "secret", None, None),
    ("user.device", "signal", "internal", None),
]
JURISDICTION_SETS = [["EU"], ["US"], ["US", "US-CA"], ["UK"], ["EU", "UK"], ["CA"], ["US", "EU"], ["BR"],
                     ["IN"], ["JP"], ["AU"], ["US-CA"]]
SUBJECT_KINDS = ["customer", "employee", "prospect", "patient", "job_applicant", "visitor", "consultant",
                 "anonymous_user", "supplier_vendor", "trainee"]
PURPOSES = ["analytics", "analytics.reporting", "essential.service", "essential.service.operations",
            "essential.service.payment_processing", "essential.fraud_detection", "marketing", "functional.storage",
            "essential.service.notifications.email", "employment.recruitment"]
TRANSPORTS = ["https", "sdk", "sftp", "api", "kafka", "s3"]
SYSTEM_TYPES = ["service", "frontend", "database", "warehouse", "pipeline", "saas", "queue", "storage"]
VENDOR_ROLES = ["analytics", "crm", "support", "payments", "email", "ci", "monitoring", "ads", "hr", "ai",
                "security", "storage"]
MECHANISMS_READ = ["api key", "oauth token", "support access", "service account", "webhook secret"]
MECHANISMS_PIVOT = ["deploy key", "ssh key", "admin api key", "browser script", "iam role"]


class Gen:
    def __init__(self, nodes, seed, files_per_dir):
        self.r = random.Random(seed)
        self.n = nodes
        self.seed = seed
        self.files_per_dir = files_per_dir
        self.vendors = max(8, nodes // 4)
        self.systems = nodes - self.vendors
        self.hosting = max(2, self.vendors // 200)      # cloud / hosting sub-processors
        self.hubs = max(2, self.vendors // 400)         # identity-hub vendors
        self.categories = list(DEFAULT_CATEGORIES)
        self.custom = []
        target_custom = 250 if nodes >= 10000 else 120
        per = target_custom // len(CUSTOM_FAMILIES)
        for parent, prefix, sens, flags in CUSTOM_FAMILIES:
            for i in range(per):
                key = "%s.%s_%03d" % (parent, prefix, i)
                self.custom.append((key, sens if i % 3 == 0 else None))
                self.categories.append(key)
        self.subjects = []
        for i in range(30):
            self.subjects.append(("subj-%02d" % i, SUBJECT_KINDS[i % len(SUBJECT_KINDS)],
                                  JURISDICTION_SETS[(i * 7) % len(JURISDICTION_SETS)]))
        # Category popularity: a few categories everywhere, a long tail.
        self.cat_weights = [1.0 / (i + 1) ** 0.8 for i in range(len(self.categories))]
        self.cat_order = list(range(len(self.categories)))
        self.r.shuffle(self.cat_order)
        self.cat_cum = self._cumulative(self.cat_weights)
        self.vendor_cum = self._cumulative([1.0 / (i + 1) ** 0.9 for i in range(self.vendors)])
        self.counts = {"flows": 0, "star_flows": 0, "accesses": 0, "holdings": 0}

    @staticmethod
    def _cumulative(weights):
        out, total = [], 0.0
        for w in weights:
            total += w
            out.append(total)
        return out

    def _pick(self, cum):
        x = self.r.random() * cum[-1]
        lo, hi = 0, len(cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cum[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def cats(self, k):
        out = set()
        while len(out) < k:
            out.add(self.categories[self.cat_order[self._pick(self.cat_cum)]])
        return sorted(out)

    def records(self):
        return int(math.exp(self.r.gauss(9.0, 2.5))) if self.r.random() < 0.85 else None

    def fanout(self, mean_tail):
        # Pareto-ish: mostly 0-2, a few with dozens.
        x = self.r.paretovariate(1.6)
        return min(200, int(x * mean_tail) - int(mean_tail) + (1 if self.r.random() < 0.7 else 0))

    def sid(self, i):
        return "s%d" % i

    def vid(self, i):
        if i < self.hosting:
            return "cloud-%d" % i
        if i < self.hosting + self.hubs:
            return "idp-%d" % (i - self.hosting)
        return "v%d" % i

    def subj(self):
        return [self.subjects[self.r.randrange(len(self.subjects))][0] for _ in range(self.r.randint(1, 2))]

    @staticmethod
    def lst(items):
        return "[" + ", ".join(items) + "]"

    def edge_opts(self, rec, subjects, purpose=None, transport=None):
        s = ""
        if rec is not None:
            s += ", records: %d" % rec
        if subjects:
            s += ", subjects: " + self.lst(sorted(set(subjects)))
        if purpose:
            s += ", purpose: " + purpose
        if transport:
            s += ", transport: " + transport
        return s

    def system_doc(self, lo, hi):
        r = self.r
        out = ["systems:"]
        for i in range(lo, hi):
            out.append("  - id: %s" % self.sid(i))
            out.append("    type: %s" % SYSTEM_TYPES[i % len(SYSTEM_TYPES)])
            out.append("    owner: team-%d@example.com" % (i // 50))
            held = self.cats(r.randint(1, 4))
            out.append("    stores:")
            out.append("      - {categories: %s%s}" % (self.lst(held), self.edge_opts(self.records(), self.subj())))
            self.counts["holdings"] += 1
            flows = []
            for _ in range(self.fanout(0.6)):
                if r.random() < 0.55:
                    to = self.sid(r.randrange(self.systems))
                    if to == self.sid(i):
                        continue
                else:
                    to = self.vid(self.hosting + self.hubs + self._pick(self.vendor_cum) %
                                  (self.vendors - self.hosting - self.hubs))
                if r.random() < 0.04:
                    flows.append("      - {to: %s, categories: \"*\", purpose: essential.service}" % to)
                    self.counts["star_flows"] += 1
                else:
                    c = sorted(set(held[: r.randint(1, len(held))] + (self.cats(1) if r.random() < 0.5 else [])))
                    flows.append("      - {to: %s, categories: %s%s}" % (
                        to, self.lst(c), self.edge_opts(self.records(), self.subj(), r.choice(PURPOSES),
                                                        r.choice(TRANSPORTS))))
                self.counts["flows"] += 1
            if flows:
                out.append("    flows:")
                out.extend(flows)
            access = []
            for _ in range(self.fanout(0.5)):
                if r.random() < 0.97:
                    to = self.sid(r.randrange(self.systems))
                    if to == self.sid(i):
                        continue
                else:  # our tenant on a vendor
                    to = self.vid(self.hosting + self.hubs + r.randrange(self.vendors - self.hosting - self.hubs))
                x = r.random()
                priv = "admin" if x < 0.3 else "code" if x < 0.45 else "read" if x < 0.85 else "write"
                like = "" if r.random() < 0.85 else ", likelihood: %s" % r.choice(["0.5", "0.3", "0.8", "0.9"])
                mech = r.choice(MECHANISMS_PIVOT if priv in ("admin", "code") else MECHANISMS_READ)
                access.append("      - {to: %s, privilege: %s, mechanism: %s%s}" % (to, priv, mech, like))
                self.counts["accesses"] += 1
            if access:
                out.append("    access:")
                out.extend(access)
        return "\n".join(out) + "\n"

    def vendor_doc(self, lo, hi):
        r = self.r
        out = ["vendors:"]
        first_plain = self.hosting + self.hubs
        for i in range(lo, hi):
            vid = self.vid(i)
            out.append("  - id: %s" % vid)
            if i < self.hosting:
                out.append("    role: hosting")
            elif i < first_plain:
                out.append("    role: idp")
            else:
                out.append("    role: %s" % VENDOR_ROLES[i % len(VENDOR_ROLES)])
            out.append("    country: %s" % r.choice(["US", "DE", "IE", "GB", "FR", "IN", "CA"]))
            out.append("    tier: %d" % r.randint(1, 4))
            flows, access = [], []
            if i >= self.hosting:
                # Sub-processor chain: forward everything to a more popular vendor or a hosting provider.
                for _ in range(r.choice([1, 1, 1, 2])):
                    if r.random() < 0.5 or i <= first_plain:
                        to = self.vid(r.randrange(self.hosting))
                    else:
                        to = self.vid(first_plain + r.randrange(max(1, (i - first_plain) // 4 + 1)))
                    if to != vid:
                        flows.append("      - {to: %s, categories: \"*\", purpose: essential.service}" % to)
                        self.counts["flows"] += 1
                        self.counts["star_flows"] += 1
                if r.random() < 0.01 and i > first_plain:  # a cycle: the sub-processor sends back
                    flows.append("      - {from: %s, categories: \"*\"}" % self.vid(first_plain + r.randrange(
                        max(1, (i - first_plain) // 4 + 1))))
                    self.counts["flows"] += 1
                    self.counts["star_flows"] += 1
            if first_plain <= i:
                for _ in range(self.fanout(0.6)):
                    x = r.random()
                    priv = "read" if x < 0.6 else "write" if x < 0.8 else "code"
                    like = ", likelihood: 0.3" if priv == "code" else ""
                    mech = "browser script" if priv == "code" else r.choice(MECHANISMS_READ)
                    access.append("      - {to: %s, privilege: %s, mechanism: %s%s}" % (
                        self.sid(r.randrange(self.systems)), priv, mech, like))
                    self.counts["accesses"] += 1
                if r.random() < 0.10:  # an admin token on an identity hub
                    hub = self.hosting + int(self.hubs * (r.random() ** 2))
                    access.append("      - {to: %s, privilege: admin, mechanism: oauth token}" % self.vid(hub))
                    self.counts["accesses"] += 1
            elif i >= self.hosting:  # identity hub: sso admin on many systems
                rank = i - self.hosting
                fan = max(3, int(self.systems * 0.15 / (rank + 1)))
                for s in sorted(set(r.randrange(self.systems) for _ in range(fan))):
                    access.append("      - {to: %s, privilege: admin, mechanism: sso}" % self.sid(s))
                    self.counts["accesses"] += 1
            if flows:
                out.append("    flows:")
                out.extend(flows)
            if access:
                out.append("    access:")
                out.extend(access)
        return "\n".join(out) + "\n"

    def header_docs(self):
        subj = ["subjects:"]
        for sid, kind, jur in self.subjects:
            subj.append("  - {id: %s, kind: %s, jurisdictions: %s}" % (sid, kind, self.lst(jur)))
        cats = ["categories:"]
        for key, sens in self.custom:
            line = "  - {key: %s, name: %s" % (key, key.rsplit(".", 1)[1])
            if sens:
                line += ", sensitivity: %s" % sens
            cats.append(line + "}")
        return [("subjects.yaml", "\n".join(subj) + "\n"), ("categories.yaml", "\n".join(cats) + "\n")]

    def write(self, out):
        tree = os.path.join(out, "tree")
        if os.path.exists(tree):
            shutil.rmtree(tree)
        os.makedirs(os.path.join(tree, "systems"))
        os.makedirs(os.path.join(tree, "vendors"))
        bundle = open(os.path.join(out, "bundle.yaml"), "w")
        bundle.write("# generated by bench/gen_map.py --nodes %d --seed %d\n" % (self.n, self.seed))
        files = 0

        def emit(rel, text):
            nonlocal files
            with open(os.path.join(tree, rel), "w") as f:
                f.write("blastmap: 1\n" + text)
            bundle.write("---\nblastmap: 1\n" + text)
            files += 1

        for rel, text in self.header_docs():
            emit(rel, text)
        step = self.files_per_dir
        for lo in range(0, self.vendors, step):
            emit("vendors/v%06d.yaml" % (lo // step), self.vendor_doc(lo, min(self.vendors, lo + step)))
        for lo in range(0, self.systems, step):
            emit("systems/s%06d.yaml" % (lo // step), self.system_doc(lo, min(self.systems, lo + step)))
        bundle.close()
        first_plain = self.hosting + self.hubs
        r = random.Random(self.seed + 1)
        seeds = sorted(set(self.vid(first_plain + r.randrange(self.vendors - first_plain)) for _ in range(200)))
        meta = dict(nodes=self.n, systems=self.systems, vendors=self.vendors, hosting=self.hosting,
                    hubs=self.hubs, categories=len(self.categories), custom_categories=len(self.custom),
                    subjects=len(self.subjects), files=files, seed=self.seed, seed_vendors=seeds, **self.counts)
        with open(os.path.join(out, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
        return meta


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", type=int, required=True)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", required=True)
    p.add_argument("--per-file", type=int, default=100, help="nodes per manifest file")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    meta = Gen(a.nodes, a.seed, a.per_file).write(a.out)
    print(json.dumps({k: v for k, v in meta.items() if k != "seed_vendors"}))


if __name__ == "__main__":
    main()
