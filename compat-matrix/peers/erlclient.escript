#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noshell
%% compat-matrix peer: Erlang/OTP ssl TLS client (the options of the other single-file clients).
%% Prints `HANDSHAKE version=..\tcipher=..\talpn=..\tresumed=..\tpeer_cn=..` per connection, then
%% what it received.
-mode(compile).

main(Args) ->
    O = parse(Args, #{host => "127.0.0.1", path => "/", resume => false}),
    {ok, _} = application:ensure_all_started(ssl),
    case maps:get(print_version, O, false) of
        true ->
            {ok, V} = application:get_key(ssl, vsn),
            io:format("Erlang/OTP ~s ssl ~s (erts ~s)~n",
                      [erlang:system_info(otp_release), V, erlang:system_info(version)]),
            halt(0);
        false ->
            halt(run(O))
    end.

parse([], O) -> O;
parse(["--print-version" | T], O) -> parse(T, O#{print_version => true});
parse(["--resume" | T], O) -> parse(T, O#{resume => true});
parse(["--early-data", V | T], O) -> parse(T, O#{early => V});
parse(["--" ++ K, V | T], O) -> parse(T, O#{list_to_atom(K) => V}).

base_opts(O) ->
    Vers = case maps:get(version, O, none) of
               "1.2" -> ['tlsv1.2'];
               "1.3" -> ['tlsv1.3'];
               none -> ['tlsv1.3', 'tlsv1.2']
           end,
    L0 = [{verify, verify_none}, {versions, Vers}, {active, false}, binary],
    L1 = case maps:get(cipher, O, none) of
             none -> L0;
             C -> [{ciphers, [ssl:str_to_suite(C)]} | L0]
         end,
    L2 = case maps:get(groups, O, maps:get(group, O, none)) of
             none -> L1;
             %% with both options OTP 25 ignores eccs: TLS 1.2 takes eccs, TLS 1.3 supported_groups
             G -> A = [group(X) || X <- string:split(G, ",", all)],
                  case maps:get(version, O, none) of
                      "1.2" -> [{eccs, A} | L1];
                      _ -> [{supported_groups, A} | L1]
                  end
         end,
    L3 = case maps:get(alpn, O, none) of
             none -> L2;
             P -> [{alpn_advertised_protocols, [list_to_binary(X) || X <- string:split(P, ",", all)]} | L2]
         end,
    L4 = case maps:get(sni, O, none) of
             none -> [{server_name_indication, disable} | L3];
             S -> [{server_name_indication, S} | L3]
         end,
    L5 = case maps:get(cert, O, none) of
             none -> L4;
             Cf -> [{certfile, Cf}, {keyfile, maps:get(key, O)} | L4]
         end,
    case maps:get(psk, O, none) of
        none -> L5;
        K -> Key = binary:decode_hex(list_to_binary(K)),
             [{psk_identity, maps:get('psk-id', O)},
              {user_lookup_fun, {fun(psk, _Hint, St) -> {ok, St} end, Key}} | L5]
    end.

group("X25519") -> x25519;
group("P-256") -> secp256r1;
group("P-384") -> secp384r1;
group("P-521") -> secp521r1;
group("ffdhe2048") -> ffdhe2048.

run(O) ->
    Port = list_to_integer(maps:get(port, O)),
    Base = base_opts(O),
    Tls13 = maps:get(version, O, none) =:= "1.3",
    N = case maps:get(resume, O) of true -> 2; false -> 1 end,
    loop(O, Port, Base, Tls13, 1, N, none).

loop(_O, _Port, _Base, _Tls13, I, N, _Sess) when I > N -> 0;
loop(O, Port, Base, Tls13, I, N, Sess) ->
    Resume = maps:get(resume, O),
    Extra = case {Resume, Tls13, Sess} of
                {false, _, _} -> [];
                {true, true, none} -> [{session_tickets, manual}];
                {true, true, Ticket} ->
                    [{session_tickets, manual}, {use_ticket, [Ticket]}] ++
                        case maps:get(early, O, none) of none -> []; E -> [{early_data, list_to_binary(E)}] end;
                {true, false, none} -> [{reuse_sessions, save}];
                {true, false, {SId, SData}} -> [{reuse_session, {SId, SData}}]
            end,
    case ssl:connect(maps:get(host, O), Port, Extra ++ Base, 15000) of
        {ok, S} ->
            report(S, Sess),
            Saved = case {Resume, Tls13} of
                        {true, false} ->
                            {ok, [{session_id, Id2}, {session_data, D2}]} =
                                ssl:connection_information(S, [session_id, session_data]),
                            {Id2, D2};
                        _ -> none
                    end,
            Rc = exchange(O, S),
            Next = case {Resume, Tls13} of
                       {true, true} -> receive {ssl, session_ticket, T} -> T after 3000 -> none end;
                       _ -> Saved
                   end,
            ssl:close(S),
            case Rc of 0 -> loop(O, Port, Base, Tls13, I + 1, N, Next); _ -> Rc end;
        {error, Why} ->
            io:format("CONNECT FAILED ~p~n", [Why]),
            1
    end.

report(S, Sess) ->
    {ok, I} = ssl:connection_information(S),
    Proto = case proplists:get_value(protocol, I) of
                'tlsv1.3' -> "TLSv1.3"; 'tlsv1.2' -> "TLSv1.2"; Other -> atom_to_list(Other)
            end,
    Suite = ssl:suite_to_str(proplists:get_value(selected_cipher_suite, I)),
    Alpn = case ssl:negotiated_protocol(S) of {ok, P} -> binary_to_list(P); _ -> "" end,
    %% OTP 25 sets session_resumption for TLS 1.3 only; in TLS 1.2 a resumed connection keeps
    %% the session ID it offered
    Res = case {proplists:get_value(session_resumption, I), Sess} of
              {true, _} -> "true";
              {_, {SId, _}} -> atom_to_list(proplists:get_value(session_id, I) =:= SId);
              {false, _} -> "false";
              _ -> "unknown"
          end,
    Early = case proplists:get_value(early_data, I) of
                undefined -> ""; V -> io_lib:format("~p", [V])
            end,
    io:format("HANDSHAKE version=~s\tcipher=~s\talpn=~s\tresumed=~s\tpeer_cn=~s\tearly_data=~s~n",
              [Proto, Suite, Alpn, Res, peer_cn(S), Early]).

peer_cn(S) ->
    case ssl:peercert(S) of
        {ok, Der} ->
            Otp = public_key:pkix_decode_cert(Der, otp),
            {rdnSequence, Rdns} = element(7, element(2, Otp)),
            Cns = [val(V) || Set <- Rdns, {'AttributeTypeAndValue', {2, 5, 4, 3}, V} <- Set],
            string:join(["CN=" ++ C || C <- Cns], ",");
        _ -> ""
    end.

val({_, B}) when is_binary(B) -> binary_to_list(B);
val({_, L}) when is_list(L) -> L;
val(B) when is_binary(B) -> binary_to_list(B);
val(L) -> L.

exchange(O, S) ->
    case maps:get(until, O, none) of
        none when is_map_key(early, O) ->
            %% 0-RTT run: the early data went with the ClientHello; nothing else is sent
            timer:sleep(500),
            0;
        none ->
            ok = ssl:send(S, ["GET ", maps:get(path, O), " HTTP/1.0\r\n\r\n"]),
            recv_all(S, <<>>);
        Mark ->
            ok = ssl:send(S, <<"hello from erlang\n">>),
            recv_until(S, list_to_binary(Mark), <<>>)
    end.

recv_all(S, Acc) ->
    case ssl:recv(S, 0, 15000) of
        {ok, D} -> recv_all(S, <<Acc/binary, D/binary>>);
        {error, closed} -> io:put_chars(Acc), 0;
        {error, E} -> io:put_chars(Acc), io:format("~nRECV ERROR ~p~n", [E]), 1
    end.

recv_until(S, Mark, Acc) ->
    case binary:match(Acc, Mark) of
        nomatch ->
            case ssl:recv(S, 0, 15000) of
                {ok, D} -> recv_until(S, Mark, <<Acc/binary, D/binary>>);
                {error, E} -> io:put_chars(Acc), io:format("~nRECV ERROR ~p~n", [E]), 1
            end;
        _ -> io:put_chars(Acc), 0
    end.
