"""Jupyter protocol conformance of the nnlab kernel (kernel/), with jupyter_kernel_test: every check it has
for a kernel with completion, inspection, is_complete, history and rich output."""

import unittest

import jupyter_kernel_test
from conftest import START_TIMEOUT
from jupyter_client.manager import start_new_kernel


class NnlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "nnlab"
    language_name = "rust"
    file_extension = ".rs"

    code_hello_world = 'println!("hello, world");'
    code_stderr = 'eprintln!("to stderr");'
    code_generate_error = 'Err::<(), nnlab::Error>(nnlab::Error::value("generate_error", "nothing", "this"))?;'
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": 'Html::new("<b>hi</b>")', "mime": "text/html", "result": "<b>hi</b>"},
        {"code": "nnlab::display::Png::new(vec![1, 2, 3])", "mime": "image/png", "result": "AQID"},
    ]
    code_display_data = [
        {"code": 'nnlab::display::show(&Html::new("<b>shown</b>"));', "mime": "text/html"},
        {"code": "nnlab::display::show(&nnlab::display::Png::new(vec![1, 2, 3]));", "mime": "image/png"},
    ]
    code_clear_output = "nnlab::display::clear_output(false);"
    code_history_pattern = "1 + ?"
    # A search request without `unique` and `n` (optional in the protocol; jupyter_kernel_test leaves them out)
    # fails to parse in jupyter-protocol 2.0.3, before the kernel sees it: search is checked with both below.
    # JupyterLab and the console ask for `tail` only.
    supported_history_operations = ("tail", "range")
    completion_samples = [{"text": "let v = Vec::<u8>::new(); v.pu"}]
    complete_code_samples = ["1 + 1", "fn f() { }", 'let s = "a { b";', "let c = '{';"]
    incomplete_code_samples = ["fn f() {", "let v = vec![1,", 'let s = "abc', "/* a comment"]
    invalid_code_samples = ["let x = 1; }", "(]"]
    code_inspect_sample = "Vec"
    # Payloads that open a pager are IPython's (`?` after a name); Rust has no such syntax.
    test_pager = None

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=cls.kernel_name, startup_timeout=START_TIMEOUT)
        # kernel_info is answered at once; cells wait until evcxr has loaded nnlab (seconds, longer than
        # jupyter_kernel_test's 15 s timeout when the pre-built folder is stale).
        cls.kc.execute_interactive("0", timeout=START_TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def test_completion_finds_methods(self):
        self.flush_channels()
        self.execute_helper("let completion_vec: Vec<u8> = Vec::new();")
        code = "completion_vec.pu"
        self.kc.complete(code, len(code))
        reply = self.get_non_kernel_info_reply(timeout=60)
        matches = reply["content"]["matches"]
        assert any(m.startswith("push") for m in matches), matches

    def test_error_reply_names_the_error(self):
        self.flush_channels()
        reply, outputs = self.execute_helper('let gap: u8 = "x";')
        content = reply["content"]
        assert content["status"] == "error"
        assert content["ename"] == "CompileError", content
        assert "mismatched types" in content["evalue"], content
        assert any("cell[" in line for line in content["traceback"]), content

    def test_history_search(self):
        self.flush_channels()
        for code in ("let searched = 1;", "searched + 1", "searched + 1"):
            self.execute_helper(code)
        self.flush_channels()
        found = {}
        for unique, n in ((False, 0), (True, 0), (False, 1)):
            self.kc.history(hist_access_type="search", pattern="*searched*", output=False, raw=True, unique=unique, n=n)
            found[(unique, n)] = [h[2] for h in self.get_non_kernel_info_reply(timeout=10)["content"]["history"]]
        assert found[(False, 0)][-3:] == ["let searched = 1;", "searched + 1", "searched + 1"], found
        assert found[(True, 0)] == ["let searched = 1;", "searched + 1"], found
        assert found[(False, 1)] == ["searched + 1"], found

    def test_kernel_info_is_rust(self):
        self.flush_channels()
        asked = self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=10)
        while reply["parent_header"].get("msg_id") != asked:
            reply = self.kc.get_shell_msg(timeout=10)
        info = reply["content"]["language_info"]
        assert (info["name"], info["codemirror_mode"], info["pygments_lexer"], info["mimetype"]) == (
            "rust", "rust", "rust", "text/rust"), info


if __name__ == "__main__":
    unittest.main()
