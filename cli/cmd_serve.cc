// blastmap serve: the web explorer and the HTTP API over one snapshot, until Ctrl-C.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/common.h"
#include "web/server.h"

namespace blastmap::cli {

void RegisterServe(CLI::App& app, Common& common, int& code) {
  auto options = std::make_shared<web::ServerOptions>();
  auto* cmd = app.add_subcommand("serve", "Serve the web explorer and the HTTP API (docs/http-api.md)");
  cmd->add_option("--port", options->port, "TCP port (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--bind", options->bind,
                  "Address to listen on; anything but loopback exposes your data map to the network")
      ->capture_default_str();
  cmd->add_option("--ui-dir", options->ui_dir,
                  "Serve the UI's files from this folder first (for UI work; e.g. web/ui)");
  auto token_file = std::make_shared<std::string>();
  cmd->add_option(
      "--token-file", *token_file,
      "File whose first line is the token every request must carry (required to bind a non-loopback "
      "address; or set BLASTMAP_TOKEN); see docs/security.md");
  cmd->add_option("--max-nodes", options->max_nodes,
                  "Compromised nodes a brief lists unless the request asks for more with max_nodes (0: all)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("--quiet", options->quiet, "No access log on stderr");
  AddCommon(cmd, common);
  cmd->callback([options, token_file, &common, &code] {
    auto token = web::LoadToken(*token_file, std::getenv("BLASTMAP_TOKEN"));
    if (!token.ok()) return void(code = Fail(token.status()));
    options->token = token.value();
    auto engine = OpenEngine(common);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    options->db_path = common.db;
    // Ctrl-C and SIGTERM are taken by a thread of our own, so that the server stops cleanly. A shell
    // starts background jobs with SIGINT ignored, and an ignored signal never reaches sigwait.
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::shared_ptr<const query::Engine> shared(engine.take());
    auto server = web::Server::Create(shared, *options);
    if (!server.ok()) return void(code = Fail(server.status()));
    web::Server& s = *server.value();
    std::string host =
        options->bind.find(':') != std::string::npos ? "[" + options->bind + "]" : options->bind;
    std::cout << "blastmap: serving snapshot " << shared->snapshot() << " of " << common.db << " at http://"
              << host << ":" << s.port() << "/" << (options->token.empty() ? "" : "?token=...")
              << "  (Ctrl-C to stop)" << std::endl;
    std::thread([&s, signals] {
      int sig = 0;
      sigwait(&signals, &sig);
      s.Stop();
    }).detach();
    auto status = s.Run();
    code = status.ok() ? kOk : Fail(status);
  });
}

}  // namespace blastmap::cli
