import Foundation
import Trace

/// What `map.html` embeds: the network's GeoJSON, each incident's, and the page's words in the report's language.
struct MapData: Encodable {
    struct IncidentLayer: Encodable {
        /// The incident's trace-back report, relative to the report folder.
        var report: String
        var title: String
        var geojson: GeoJSONCollection
    }

    var title: String
    var labels: [String: String]
    var network: GeoJSONCollection
    var incidents: [IncidentLayer]
}

extension ReportWriter {
    /// `map.html`: a map of the network and the incidents that opens in any browser with no network access — the
    /// GeoJSON embedded, drawn by inline script into SVG (equirectangular, scaled to the features' bounding box; no
    /// tiles), with labels, a legend, a scale bar and a switch per incident. Text reaches the page only through the
    /// JSON encoder and the DOM's `textContent`, never as markup.
    func mapPage() -> String {
        let title = t("河网与溯源地图", "River network and trace-back map") + " \(input.document.period.label)"
        let data = MapData(
            title: title,
            labels: [
                "river": t("河道", "river"), "point": t("监测点位（颜色为本期水质类别）", "monitoring point (colour: this period's class)"),
                "auto": t("自动站（方形）", "automatic station (square)"), "source": t("登记污染源", "registered source"),
                "approx": t("（位置按河道插值）", " (placed along the river)"),
                "suspect": t("疑似河段", "suspect stretch"), "alternative": t("其他可能河段", "also possible"),
                "candidate": t("候选污染源（编号为排序）", "candidate source (number: rank)"),
                "event": t("发现异常的点位", "point where the event was seen"),
                "incidents": t("污染事件", "Incidents"), "legend": t("图例", "Legend"), "km": "km",
                "class": t("水质类别", "class"), "target": t("目标", "target"), "none": t("无坐标，无法绘制地图。", "Nothing has coordinates: no map to draw."),
                "report": t("溯源报告", "trace-back report"), "score": t("得分", "score"),
                "window": t("应排放时段", "discharge window"),
            ],
            network: networkCollection(),
            incidents: incidentGroups.map { incident in
                MapData.IncidentLayer(report: traceFile(incident.lead) + ".md",
                                      title: "\(incident.lead.pointID) \(localTime(incident.lead.eventStart))",
                                      geojson: incidentCollection(incident))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // In a <script> element only `</script` or `<!--` could end it early; "<" (and, for good measure, ">" and "&")
        // appear in JSON only inside strings, where \u003c is the same character.
        let embedded = json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
        return """
            <!DOCTYPE html>
            <html lang="\(zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escapeXML(title))</title>
            <style>
            \(Self.mapStyle)
            </style>
            </head>
            <body>
            <h1>\(escapeXML(title))</h1>
            <div id="layout">
            <svg id="map" viewBox="0 0 1000 700" role="img" aria-label="\(escapeXML(title))"></svg>
            <aside><h2 id="legend-title"></h2><ul id="legend"></ul><h2 id="incidents-title"></h2><ul id="incidents"></ul></aside>
            </div>
            <script type="application/json" id="map-data">\(embedded)</script>
            <script>
            \(Self.mapScript)
            </script>
            </body>
            </html>

            """
    }

    static let mapStyle = """
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 1em; color: #222; }
        h1 { font-size: 1.3em; } h2 { font-size: 1em; margin: 0.8em 0 0.3em; }
        #layout { display: flex; gap: 1em; align-items: flex-start; }
        #map { flex: 1 1 auto; max-width: 1000px; border: 1px solid #999; background: #fff; }
        aside { flex: 0 0 18em; font-size: 0.9em; } aside ul { list-style: none; padding: 0; margin: 0; }
        aside li { margin: 0.3em 0; } aside svg { vertical-align: middle; margin-right: 0.4em; }
        text { font-size: 11px; paint-order: stroke; stroke: #fff; stroke-width: 3px; fill: #222; }
        @media print { #layout { display: block; } #map { width: 100%; border: none; } aside { page-break-inside: avoid; } }
        """

    static let mapScript = """
        (function () {
          "use strict";
          var data = JSON.parse(document.getElementById("map-data").textContent);
          var L = data.labels, NS = "http://www.w3.org/2000/svg", svg = document.getElementById("map");
          var W = 1000, H = 700, PAD = 50;
          function el(name, attrs, parent) {
            var node = document.createElementNS(NS, name);
            Object.keys(attrs).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
            if (parent) { parent.appendChild(node); }
            return node;
          }
          function tip(node, text) { el("title", {}, node).textContent = text; }
          function positions(g) {
            if (g.type === "Point") { return [g.coordinates]; }
            return g.coordinates;
          }
          var all = [];
          function collect(collection) { collection.features.forEach(function (f) { all = all.concat(positions(f.geometry)); }); }
          collect(data.network);
          data.incidents.forEach(function (incident) { collect(incident.geojson); });
          document.getElementById("legend-title").textContent = L.legend;
          if (all.length === 0) {
            el("text", { x: 20, y: 40 }, svg).textContent = L.none;
            return;
          }
          var lons = all.map(function (c) { return c[0]; }), lats = all.map(function (c) { return c[1]; });
          var minLon = Math.min.apply(null, lons), maxLon = Math.max.apply(null, lons);
          var minLat = Math.min.apply(null, lats), maxLat = Math.max.apply(null, lats);
          // Equirectangular: a degree of longitude is cos(latitude) of a degree of latitude.
          var k = Math.cos((minLat + maxLat) / 2 * Math.PI / 180);
          var spanX = Math.max((maxLon - minLon) * k, 1e-6), spanY = Math.max(maxLat - minLat, 1e-6);
          var s = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY);
          var offX = (W - spanX * s) / 2, offY = (H - spanY * s) / 2;
          function x(c) { return offX + (c[0] - minLon) * k * s; }
          function y(c) { return H - offY - (c[1] - minLat) * s; }
          function line(coordinates) { return coordinates.map(function (c) { return x(c).toFixed(1) + "," + y(c).toFixed(1); }).join(" "); }
          function label(text, c, parent, dy) {
            el("text", { x: (x(c) + 7).toFixed(1), y: (y(c) + (dy || 4)).toFixed(1) }, parent).textContent = text;
          }
          var riverLayer = el("g", {}, svg), sourceLayer = el("g", {}, svg), pointLayer = el("g", {}, svg);
          var incidentLayer = el("g", {}, svg), labelLayer = el("g", {}, svg);
          data.network.features.forEach(function (f) {
            var p = f.properties;
            if (p.feature === "river") {
              var river = el("polyline", { points: line(f.geometry.coordinates), fill: "none", stroke: "#5b8fc7", "stroke-width": 3 }, riverLayer);
              tip(river, p.name + " (" + p.id + ")");
              var mid = f.geometry.coordinates[Math.floor(f.geometry.coordinates.length / 2)];
              el("text", { x: (x(mid) + 6).toFixed(1), y: (y(mid) - 8).toFixed(1), "font-style": "italic" }, labelLayer).textContent = p.name;
            } else if (p.feature === "point") {
              var c = f.geometry.coordinates, shape;
              if (p.kind === "auto") {
                shape = el("rect", { x: (x(c) - 6).toFixed(1), y: (y(c) - 6).toFixed(1), width: 12, height: 12 }, pointLayer);
              } else {
                shape = el("circle", { cx: x(c).toFixed(1), cy: y(c).toFixed(1), r: 6 }, pointLayer);
              }
              shape.setAttribute("fill", p.class_colour);
              shape.setAttribute("stroke", "#222");
              tip(shape, p.id + " " + p.name + " — " + L.class + ": " + (p.class_label || "—") + ", " + L.target + ": " + (p.target_class || "—"));
              label(p.id, c, labelLayer);
            } else if (p.feature === "source") {
              var sc = f.geometry.coordinates;
              var mark = el("path", { d: "M" + x(sc).toFixed(1) + "," + (y(sc) - 5).toFixed(1) + " l5,9 l-10,0 z", fill: "#fff", stroke: "#555" }, sourceLayer);
              tip(mark, p.id + " " + p.name + " (" + p.kind + ", " + p.signature + ", km " + p.km + ")" + (p.approximate ? L.approx : ""));
            }
          });
          var list = document.getElementById("incidents");
          document.getElementById("incidents-title").textContent = data.incidents.length ? L.incidents : "";
          data.incidents.forEach(function (incident, index) {
            var group = el("g", {}, incidentLayer);
            incident.geojson.features.forEach(function (f) {
              var p = f.properties;
              if (p.feature === "suspect_stretch" || p.feature === "alternative_stretch") {
                var suspect = p.feature === "suspect_stretch";
                var stretch = el("polyline", { points: line(f.geometry.coordinates), fill: "none", stroke: suspect ? "#b00020" : "#b00020",
                  "stroke-width": suspect ? 8 : 5, "stroke-opacity": 0.6, "stroke-dasharray": suspect ? "none" : "8 5" }, group);
                tip(stretch, (suspect ? L.suspect : L.alternative) + ": " + p.river + " km " + p.from_km + "–" + p.to_km);
              } else if (p.feature === "candidate") {
                positions(f.geometry).forEach(function (c) {
                  var badge = el("g", {}, group);
                  el("circle", { cx: x(c).toFixed(1), cy: y(c).toFixed(1), r: 8, fill: "#fff", stroke: "#b00020", "stroke-width": 2 }, badge);
                  el("text", { x: x(c).toFixed(1), y: (y(c) + 4).toFixed(1), "text-anchor": "middle", "font-weight": "bold" }, badge).textContent = String(p.rank);
                  tip(badge, "#" + p.rank + " " + p.name + " — " + L.score + " " + p.score
                    + (p.discharge_from ? ", " + L.window + " " + p.discharge_from + " – " + p.discharge_to : "") + (p.approximate ? L.approx : ""));
                });
              } else if (p.feature === "event_point") {
                var ec = f.geometry.coordinates;
                el("circle", { cx: x(ec).toFixed(1), cy: y(ec).toFixed(1), r: p.lead ? 13 : 10, fill: "none", stroke: "#b00020", "stroke-width": 2 }, group);
              }
            });
            var item = document.createElement("li"), box = document.createElement("input"), text = document.createElement("label");
            box.type = "checkbox"; box.checked = true; box.id = "incident-" + index;
            box.addEventListener("change", function () { group.style.display = box.checked ? "" : "none"; });
            text.htmlFor = box.id; text.textContent = " " + incident.title;
            item.appendChild(box); item.appendChild(text);
            var anchor = document.createElement("a");
            anchor.href = encodeURI(incident.report); anchor.textContent = " (" + L.report + ")";
            item.appendChild(anchor);
            list.appendChild(item);
          });
          // Scale bar: a kilometre of latitude is 1/111.32 of a degree.
          var kmPixels = s / 111.32, bar = 1;
          while (bar * kmPixels < 60) { bar *= 2; }
          var scale = el("g", {}, svg);
          el("line", { x1: 20, y1: H - 20, x2: (20 + bar * kmPixels).toFixed(1), y2: H - 20, stroke: "#222", "stroke-width": 3 }, scale);
          el("text", { x: 20, y: H - 28 }, scale).textContent = bar + " " + L.km;
          var legend = document.getElementById("legend");
          function entry(text, draw) {
            var item = document.createElement("li"), swatch = el("svg", { width: 28, height: 16, viewBox: "0 0 28 16" });
            draw(swatch); item.appendChild(swatch); item.appendChild(document.createTextNode(text)); legend.appendChild(item);
          }
          entry(L.river, function (g) { el("line", { x1: 2, y1: 8, x2: 26, y2: 8, stroke: "#5b8fc7", "stroke-width": 3 }, g); });
          entry(L.point, function (g) { el("circle", { cx: 14, cy: 8, r: 6, fill: "#39b54a", stroke: "#222" }, g); });
          entry(L.auto, function (g) { el("rect", { x: 8, y: 2, width: 12, height: 12, fill: "#39b54a", stroke: "#222" }, g); });
          entry(L.source, function (g) { el("path", { d: "M14,3 l5,9 l-10,0 z", fill: "#fff", stroke: "#555" }, g); });
          entry(L.suspect, function (g) { el("line", { x1: 2, y1: 8, x2: 26, y2: 8, stroke: "#b00020", "stroke-width": 8, "stroke-opacity": 0.6 }, g); });
          entry(L.alternative, function (g) { el("line", { x1: 2, y1: 8, x2: 26, y2: 8, stroke: "#b00020", "stroke-width": 5, "stroke-opacity": 0.6, "stroke-dasharray": "8 5" }, g); });
          entry(L.candidate, function (g) { el("circle", { cx: 14, cy: 8, r: 6, fill: "#fff", stroke: "#b00020", "stroke-width": 2 }, g); });
          entry(L.event, function (g) { el("circle", { cx: 14, cy: 8, r: 6, fill: "none", stroke: "#b00020", "stroke-width": 2 }, g); });
        })();
        """
}
