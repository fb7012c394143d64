"""Build script: the metadata is in pyproject.toml; this adds the Cython extension."""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [Extension("nova_core._fastalloc", ["nova_core/_fastalloc.pyx"])],
        compiler_directives={"language_level": "3"},
    ),
)
